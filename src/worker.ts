/** Procfile `worker`: BullMQ workers. Scale out by running more of these against one Redis. */
import { boot } from './app/boot.js';
import { startJobWorkers } from './app/processes.js';
import { onShutdownSignals } from './app/shutdown.js';
import { startMetricsServer } from './metrics/metrics-server.js';

const { config, ctx } = await boot();
const workers = await startJobWorkers(ctx);
// The config check makes METRICS_TOKEN present whenever METRICS_PORT is.
const metrics = config.METRICS_PORT && config.METRICS_TOKEN ? await startMetricsServer(config.METRICS_PORT, config.METRICS_TOKEN, ctx.logger) : null;
onShutdownSignals(ctx.logger, config.SHUTDOWN_TIMEOUT_S * 1000, async () => {
  metrics?.close();
  await workers.stop();
  await ctx.close();
});
