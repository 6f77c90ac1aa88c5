import type { Worker } from 'bullmq';
import type { AppContext } from '../../src/app/context.js';
import { jobCatalog } from '../../jobs/catalog.js';
import { buildHandlers, type HandlerOptions } from '../../jobs/handlers/index.js';
import { startWorkers } from '../../jobs/workers.js';
import { connectRedis, createRedis } from '../../src/infra/redis.js';

/** Real BullMQ workers for a test context (its queue prefix), with the production handlers. */
export async function startTestWorkers(ctx: AppContext, opts: HandlerOptions = {}): Promise<{ workers: Worker[]; stop(): Promise<void> }> {
  const connection = createRedis(ctx.config.REDIS_URL, 'worker');
  await connectRedis(connection, ctx.config.REDIS_URL);
  const workers = startWorkers(jobCatalog, buildHandlers(ctx, opts), connection, { prefix: ctx.config.QUEUE_PREFIX, logger: ctx.logger });
  return {
    workers,
    async stop() {
      await Promise.all(workers.map((w) => w.close()));
      connection.disconnect();
    },
  };
}

/** Polls the inbound event until `done` holds for it: by default, until it is finished. */
export async function waitForEvent(
  ctx: Pick<AppContext, 'db'>,
  where: Record<string, unknown>,
  timeoutMs = 20_000,
  /** What to wait for; by default a final status (processed, skipped, dead). */
  done: (row: Record<string, any>) => boolean = (row) => ['processed', 'skipped', 'dead'].includes(row.status),
) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const row = await ctx.db('inbound_events').where(where).first();
    if (row && done(row)) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`inbound event ${JSON.stringify(where)}: not what was awaited within ${timeoutMs} ms`);
}
