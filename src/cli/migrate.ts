/**
 * `npm run migrate` (Procfile `release`): bring the schema up to date and create the demo store
 * when enabled. `--down` rolls every migration back.
 */
import { boot } from '../app/boot.js';
import { bootstrapDemoStore, demoDataDir } from '../bootstrap/demo-store.js';
import { migrateLatest, migrateRollbackAll } from '../db/migrate.js';

const { config, ctx } = await boot();
try {
  if (process.argv.includes('--down')) {
    await migrateRollbackAll(ctx.db);
    ctx.logger.info('all migrations rolled back');
  } else {
    const applied = await migrateLatest(ctx.db, ctx.logger);
    ctx.logger.info({ count: applied.length }, 'migrations up to date');
    if (config.DEMO_STORE) {
      const demo = await bootstrapDemoStore(ctx.db, {
        dataDir: demoDataDir(),
        bootstrapApiKey: config.BOOTSTRAP_API_KEY,
        logger: ctx.logger,
      });
      if (demo.printedKey) process.stdout.write(`\nDemo store API key (shown once, keep it): ${demo.printedKey}\n\n`);
    }
  }
} finally {
  await ctx.close();
}
