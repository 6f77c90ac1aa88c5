/** Procfile `web`: webhooks, REST API, dashboard. Migrations run in the `release` step. */
import { boot } from './app/boot.js';
import { startWeb } from './app/processes.js';
import { onShutdownSignals } from './app/shutdown.js';

const { config, ctx } = await boot();
const web = await startWeb(ctx);
onShutdownSignals(ctx.logger, config.SHUTDOWN_TIMEOUT_S * 1000, async () => {
  await web.stop();
  await ctx.close();
});
