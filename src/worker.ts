/** Procfile `worker`: BullMQ workers. Scale out by running more of these against one Redis. */
import { boot } from './app/boot.js';
import { startJobWorkers } from './app/processes.js';
import { onShutdownSignals } from './app/shutdown.js';

const { config, ctx } = await boot();
const workers = await startJobWorkers(ctx);
onShutdownSignals(ctx.logger, config.SHUTDOWN_TIMEOUT_S * 1000, async () => {
  await workers.stop();
  await ctx.close();
});
