/**
 * `npm start`: a single-machine install. Migrates, creates the demo store on an empty database,
 * then runs the web server and the workers in this one process.
 */
import { boot } from './app/boot.js';
import { startJobWorkers, startWeb } from './app/processes.js';
import { onShutdownSignals } from './app/shutdown.js';
import { bootstrapDemoStore, demoDataDir } from './bootstrap/demo-store.js';
import { migrateLatest } from './db/migrate.js';

const { config, ctx } = await boot();
await migrateLatest(ctx.db, ctx.logger);
if (config.DEMO_STORE) {
  const demo = await bootstrapDemoStore(ctx.db, {
    dataDir: demoDataDir(),
    bootstrapApiKey: config.BOOTSTRAP_API_KEY,
    logger: ctx.logger,
  });
  if (demo.printedKey) {
    // Shown once, on stdout only, never in the logs: only its hash is stored.
    process.stdout.write(`\nDemo store API key (shown once, keep it): ${demo.printedKey}\n\n`);
  }
}
const workers = await startJobWorkers(ctx);
const web = await startWeb(ctx);
onShutdownSignals(ctx.logger, config.SHUTDOWN_TIMEOUT_S * 1000, async () => {
  await web.stop();
  await workers.stop();
  await ctx.close();
});
