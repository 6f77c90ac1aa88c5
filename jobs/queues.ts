import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { queueNameFor, type JobCatalog, type JobSpec } from './catalog.js';

export type EnqueueOptions = {
  /** Deterministic id: a second add with the same id is ignored by BullMQ. No ':' allowed. */
  jobId?: string;
  delayMs?: number;
};

export type Queues<C extends JobCatalog> = {
  enqueue<N extends keyof C & string>(
    name: N,
    data: z.input<C[N]['schema']>,
    opts?: EnqueueOptions,
  ): Promise<string>;
  queue(name: keyof C & string): Queue;
  /**
   * Resolves once every queue is set up on Redis. Call it at start-up: BullMQ makes a queue wait
   * for Redis until it is set up, so one first used during an outage would hang instead of
   * failing fast.
   */
  ready(): Promise<void>;
  close(): Promise<void>;
};

/**
 * Producer side. The connection must have `enableOfflineQueue: false` so an add fails fast
 * when Redis is down (the webhook answers 503 and the vendor retries).
 */
export function createQueues<C extends JobCatalog>(
  catalog: C,
  connection: Redis,
  prefix: string,
): Queues<C> {
  const queues = new Map<string, Queue>();
  const get = (name: string): Queue => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(queueNameFor(name), { connection, prefix });
      q.on('error', () => {}); // surfaced through the failing add() instead
      queues.set(name, q);
    }
    return q;
  };
  // Every queue is made now, while Redis answers (see ready()).
  for (const name of Object.keys(catalog)) get(name);
  return {
    async enqueue(name, data, opts = {}) {
      const spec = catalog[name] as JobSpec;
      const payload = spec.schema.parse(data); // a malformed payload is a bug: fail loudly here
      if (opts.jobId?.includes(':')) throw new Error('jobId may not contain ":"');
      const job = await get(name).add(name, payload, {
        jobId: opts.jobId,
        delay: opts.delayMs,
        attempts: spec.attempts,
        backoff: { type: 'vendor-aware', delay: spec.backoffMs },
        removeOnComplete: { count: spec.keepCompleted ?? 1000, age: 24 * 3600 },
        removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
      });
      return job.id ?? '';
    },
    queue: (name) => get(name),
    async ready() {
      await Promise.all([...queues.values()].map((q) => q.waitUntilReady()));
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
