import type { Server } from 'node:http';
import type { Worker } from 'bullmq';
import { jobCatalog } from '../../jobs/catalog.js';
import { buildHandlers } from '../../jobs/handlers/index.js';
import { startWorkers } from '../../jobs/workers.js';
import { createApp } from '../http/app.js';
import { routeModules } from '../http/routes/index.js';
import { createRedis, connectRedis } from '../infra/redis.js';
import { closeSmtpTransports, scheduleEmailPolling } from '../../connectors/email/index.js';
import { scheduleMissingEmbeddings } from '../knowledge/service.js';
import type { AppContext } from './context.js';
import { startLostJobRecovery } from './lost-job-recovery.js';

export type RunningWeb = { server: Server; port: number; stop(): Promise<void> };
export type RunningWorkers = { workers: Worker[]; stop(): Promise<void> };

/** Starts the HTTP server. stop() stops accepting, lets open requests finish, then resolves. */
export async function startWeb(ctx: AppContext, port = ctx.config.PORT, host = ctx.config.HOST): Promise<RunningWeb> {
  const app = createApp(ctx, routeModules(ctx));
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  ctx.logger.info({ port: actualPort }, 'web listening');
  return {
    server,
    port: actualPort,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/** Starts one BullMQ worker per job that has a handler, on its own blocking Redis connection. */
export async function startJobWorkers(ctx: AppContext): Promise<RunningWorkers> {
  const connection = createRedis(ctx.config.REDIS_URL, 'worker');
  await connectRedis(connection, ctx.config.REDIS_URL);
  const workers = startWorkers(jobCatalog, buildHandlers(ctx), connection, {
    prefix: ctx.config.QUEUE_PREFIX,
    logger: ctx.logger,
    concurrency: { 'inbound.process': ctx.config.WORKER_CONCURRENCY },
    lockMs: ctx.config.JOB_LOCK_MS,
  });
  ctx.logger.info({ queues: workers.map((w) => w.name) }, 'workers started');
  const recovery = startLostJobRecovery(ctx);
  // Knowledge imported while no embeddings provider was configured (or Redis was away) gets vectors now.
  void scheduleMissingEmbeddings(ctx);
  // One repeatable poll per store with a mailbox (IMAP_* for the demo store, stored credentials otherwise).
  await scheduleEmailPolling(ctx).catch((err: Error) => ctx.logger.warn({ err: err.message }, 'email polling not scheduled'));
  return {
    workers,
    async stop() {
      await recovery.stop();
      // close() stops fetching and waits for active jobs to finish.
      await Promise.all(workers.map((w) => w.close()));
      await closeSmtpTransports();
      connection.disconnect();
    },
  };
}
