import { randomBytes } from 'node:crypto';
import { QueueEvents, type Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createQueues } from '../../../jobs/queues.js';
import { RATE_LIMIT_PATIENCE_MS, startWorkers } from '../../../jobs/workers.js';
import { PermanentError, RateLimitedError, RetryableError } from '../../../src/errors.js';
import { createRedis, connectRedis } from '../../../src/infra/redis.js';
import { createLogger } from '../../../src/logger.js';
import { TEST_REDIS_URL } from '../../helpers/context.js';
import { startPrivateRedis } from '../../failure/redis-server.js';

// A catalog of its own: the same queue/worker code as production, with handlers the test controls.
const catalog = {
  'test.flaky': { schema: z.object({ id: z.string() }), attempts: 3, backoffMs: 50, concurrency: 2 },
  'test.vendor': { schema: z.object({ id: z.string() }), attempts: 3, backoffMs: 50, concurrency: 2 },
  'test.permanent': { schema: z.object({ id: z.string() }), attempts: 5, backoffMs: 50, concurrency: 2 },
  'test.outage': { schema: z.object({ id: z.string() }), attempts: 2, backoffMs: 50, concurrency: 2 },
  'test.ratelimit': { schema: z.object({ id: z.string() }), attempts: 2, backoffMs: 50, concurrency: 2 },
};

describe('jobs through a real BullMQ worker on Redis', () => {
  const prefix = `test-${randomBytes(5).toString('hex')}`;
  const producer = createRedis(TEST_REDIS_URL, 'producer');
  const workerConn = createRedis(TEST_REDIS_URL, 'worker');
  // Created once the producer is connected, as the app does (its queues are made at once).
  let queues: ReturnType<typeof createQueues<typeof catalog>>;
  const calls: Record<string, number[]> = { flaky: [], vendor: [], permanent: [], outage: [] };
  const rateLimited = new Map<string, number[]>();
  let workers: Worker[] = [];
  const events: QueueEvents[] = [];

  const waitFor = async (queue: string, jobId: string, what: 'completed' | 'failed') => {
    const qe = new QueueEvents(queue, { connection: { url: TEST_REDIS_URL }, prefix });
    events.push(qe);
    await qe.waitUntilReady();
    const job = await queues.queue(queue.replace('-', '.') as keyof typeof catalog).getJob(jobId);
    if (job && (await job.getState()) === what) return job;
    return new Promise((resolve) => qe.on(what, ({ jobId: id }: { jobId: string }) => id === jobId && resolve(id)));
  };

  beforeAll(async () => {
    await connectRedis(producer, TEST_REDIS_URL);
    await connectRedis(workerConn, TEST_REDIS_URL);
    queues = createQueues(catalog, producer, prefix);
    await queues.ready();
    workers = startWorkers(
      catalog,
      {
        'test.flaky': async () => {
          calls.flaky!.push(Date.now());
          if (calls.flaky!.length === 1) throw new Error('boom on first attempt');
          return { done: true };
        },
        'test.vendor': async () => {
          calls.vendor!.push(Date.now());
          if (calls.vendor!.length === 1) throw new RetryableError('vendor said 429', 1200);
          return 'ok';
        },
        'test.permanent': async () => {
          calls.permanent!.push(Date.now());
          throw new PermanentError('vendor said 404', 404);
        },
        // The helpdesk account is over its rate limit for the first four runs of each job.
        'test.ratelimit': async ({ id }) => {
          const runs = rateLimited.get(id) ?? [];
          rateLimited.set(id, [...runs, Date.now()]);
          if (runs.length < 4) throw new RateLimitedError('Zendesk 429: Too Many Requests', 150);
          return 'answered';
        },
        // The database refuses connections for the first five runs (as node-postgres reports it).
        'test.outage': async () => {
          calls.outage!.push(Date.now());
          if (calls.outage!.length <= 5) {
            throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
          }
          return 'answered';
        },
      },
      workerConn,
      { prefix, logger: createLogger('silent'), outageRetryMs: 40 },
    );
  });

  afterAll(async () => {
    await Promise.all(events.map((e) => e.close()));
    await Promise.all(workers.map((w) => w.close()));
    await queues.close();
    const keys = await producer.keys(`${prefix}:*`);
    if (keys.length) await producer.del(...keys);
    producer.disconnect();
    workerConn.disconnect();
  });

  it('retries a job whose handler threw, and completes it on the next attempt', async () => {
    const id = await queues.enqueue('test.flaky', { id: 'a' }, { jobId: 'flaky-1' });
    await waitFor('test-flaky', id, 'completed');
    const job = await queues.queue('test.flaky').getJob(id);
    expect(calls.flaky).toHaveLength(2);
    expect(job?.attemptsMade).toBe(2);
    expect(job?.returnvalue).toEqual({ done: true });
  });

  it("waits out a vendor's Retry-After instead of the short backoff", async () => {
    const id = await queues.enqueue('test.vendor', { id: 'b' }, { jobId: 'vendor-1' });
    await waitFor('test-vendor', id, 'completed');
    expect(calls.vendor).toHaveLength(2);
    expect(calls.vendor![1]! - calls.vendor![0]!).toBeGreaterThanOrEqual(1150);
  });

  it('does not retry a permanent failure', async () => {
    const id = await queues.enqueue('test.permanent', { id: 'c' }, { jobId: 'perm-1' });
    await waitFor('test-permanent', id, 'failed');
    const job = await queues.queue('test.permanent').getJob(id);
    expect(calls.permanent).toHaveLength(1);
    expect(job?.failedReason).toContain('vendor said 404');
  });

  it('waits out a database outage longer than its attempts allow, without spending them', async () => {
    const id = await queues.enqueue('test.outage', { id: 'e' }, { jobId: 'outage-1' });
    await waitFor('test-outage', id, 'completed');
    const job = await queues.queue('test.outage').getJob(id);
    // Two attempts would have failed it after the second refusal; it ran six times and was answered.
    expect(calls.outage).toHaveLength(6);
    expect(job?.returnvalue).toBe('answered');
    // Only the run that answered counts as an attempt.
    expect(job?.attemptsMade).toBe(1);
    // Waits grow between outage retries (40 ms doubling, ±20 %), so a long outage is polled gently.
    const gaps = calls.outage!.slice(1).map((t, i) => t - calls.outage![i]!);
    expect(gaps.at(-1)!).toBeGreaterThan(gaps[0]! * 3);
  });

  it("waits out a vendor's rate limit longer than its attempts allow, without spending them", async () => {
    const id = await queues.enqueue('test.ratelimit', { id: 'burst' }, { jobId: 'ratelimit-1' });
    await waitFor('test-ratelimit', id, 'completed');
    const job = await queues.queue('test.ratelimit').getJob(id);
    // Two attempts would have made it a dead letter at the second 429; it was answered on the fifth run.
    const runs = rateLimited.get('burst')!;
    expect(runs).toHaveLength(5);
    expect(job?.returnvalue).toBe('answered');
    expect(job?.attemptsMade).toBe(1);
    // Each wait honoured the vendor's Retry-After (150 ms, plus a spread).
    expect(runs.slice(1).every((t, i) => t - runs[i]! >= 140)).toBe(true);
  });

  it('spends attempts on rate limits again once a job has waited a day', async () => {
    const queue = queues.queue('test.ratelimit');
    const job = await queue.add('test.ratelimit', { id: 'stale' }, {
      jobId: 'ratelimit-stale',
      attempts: 2,
      backoff: { type: 'vendor-aware', delay: 50 },
      timestamp: Date.now() - RATE_LIMIT_PATIENCE_MS - 60_000,
    });
    await waitFor('test-ratelimit', job.id!, 'failed');
    expect(rateLimited.get('stale')).toHaveLength(2);
    expect((await queue.getJob(job.id!))?.failedReason).toContain('429');
  });

  it('ignores a second job with the same id', async () => {
    await queues.enqueue('test.flaky', { id: 'd' }, { jobId: 'same-id' });
    await queues.enqueue('test.flaky', { id: 'd' }, { jobId: 'same-id' });
    const counts = await queues.queue('test.flaky').getJobCounts('waiting', 'active', 'completed', 'delayed', 'failed');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(2); // flaky-1 and same-id
  });

  it('refuses a payload that does not match the catalog schema', async () => {
    await expect(queues.enqueue('test.flaky', { id: 42 } as never)).rejects.toThrow();
  });
});

describe('enqueue while Redis is down', () => {
  it('fails at once, also on a queue never used before (intake answers 503, the vendor retries)', async () => {
    const redis = await startPrivateRedis();
    const producer = createRedis(redis.url, 'producer');
    try {
      await connectRedis(producer, redis.url);
      const queues = createQueues(catalog, producer, `test-${randomBytes(5).toString('hex')}`);
      await queues.ready(); // as the app does at start-up
      await redis.kill();
      const started = Date.now();
      // A BullMQ queue made after the outage began would wait for Redis to come back.
      await expect(queues.enqueue('test.outage', { id: 'x' })).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      producer.disconnect();
      await redis.close();
    }
  });
});
