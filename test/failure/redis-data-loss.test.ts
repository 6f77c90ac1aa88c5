import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchTicket } from '../../bench/tickets.js';
import type { StandinTicket } from '../../bench/helpdesk-standin.js';
import { answeredOnce, endStates, startHarness, waitUntil, type Harness } from './harness.js';
import { TEST_REDIS_URL } from '../helpers/context.js';

// The machine reboots: the worker dies mid-batch and Redis, run without persistence, comes back
// empty. The webhooks were acknowledged, so the helpdesk will not send them again: only our own
// record of the events can get those tickets answered. With TEST_DATABASE_URL the worker process
// dies; on PGlite the whole `npm start` process does.
describe('Redis comes back empty after a crash (no persistence)', () => {
  let h: Harness;
  const tickets: StandinTicket[] = [];

  beforeAll(async () => {
    // Pending events older than 2 s whose job is gone get it back (production: 5 minutes).
    h = await startHarness({ workerConcurrency: 4, extraEnv: { LOST_JOB_RECOVERY_AFTER_S: '2' } });
    for (let i = 0; i < 30; i++) tickets.push(benchTicket(i, 4_000_000));
  });
  afterAll(async () => h?.close());

  it('gives every recorded ticket its job back: each is answered exactly once', async () => {
    h.helpdesk.setWriteDelay(400);
    await h.postAllAccepted(tickets);
    await waitUntil(() => answered() >= 3, 30_000);

    const victim = h.jobProcess();
    victim.kill('SIGKILL');
    await victim.exited;
    expect(answered()).toBeLessThan(tickets.length);
    const lostKeys = await emptyTheQueue(TEST_REDIS_URL, h.queuePrefix);
    expect(lostKeys).toBeGreaterThan(0);

    h.helpdesk.setWriteDelay(0);
    const restarted = await h.app.startWorker();
    await h.waitForReplies(tickets, 40_000);
    await h.waitForDrain(20_000);

    expect(tickets.map((t) => h.helpdesk.comments(t.id).length)).toEqual(tickets.map(() => 1));
    expect(readFileSync(restarted.logFile, 'utf8')).toContain('jobs lost by the queue were enqueued again');
    await h.app.stop();
    await h.withDb(async (db) => expect(await endStates(db)).toEqual(answeredOnce(tickets.length)));
  }, 90_000);

  const answered = () => tickets.filter((t) => h.helpdesk.comments(t.id).length > 0).length;
});

/** What a Redis restart without persistence leaves of this run's queues: nothing. */
async function emptyTheQueue(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    return keys.length;
  } finally {
    redis.disconnect();
  }
}
