import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchTicket } from '../../bench/tickets.js';
import type { StandinTicket } from '../../bench/helpdesk-standin.js';
import { startHarness, type Harness } from './harness.js';
import { startPrivateRedis, type PrivateRedis } from './redis-server.js';

// Redis dies while webhooks keep arriving: the webhook route answers 503 + Retry-After (so the
// vendor retries) instead of accepting what it cannot queue; once Redis is back, the vendor's
// retries are accepted and every accepted event is answered exactly once. This test stops its
// own redis-server, never the shared one.
describe('Redis stopped during intake', () => {
  let redis: PrivateRedis;
  let h: Harness;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    h = await startHarness({ redisUrl: redis.url });
  });
  afterAll(async () => {
    await h?.close();
    await redis?.close();
  });

  it('answers 503 while Redis is down and processes every accepted event once it is back', async () => {
    const before: StandinTicket[] = Array.from({ length: 20 }, (_, i) => benchTicket(i, 4_000_000));
    const during: StandinTicket[] = Array.from({ length: 20 }, (_, i) => benchTicket(i + 20, 4_000_000));

    // Accepted while Redis is up; Redis is killed while their jobs are still being worked on.
    h.helpdesk.setWriteDelay(300);
    const first = await Promise.all(before.map((t) => h.post(t)));
    expect(first.map((a) => a.status)).toEqual(before.map(() => 202));
    await redis.kill();

    const refused = await Promise.all(during.map((t) => h.post(t)));
    expect(refused.map((a) => a.status)).toEqual(during.map(() => 503));
    expect(refused.every((a) => Number(a.headers?.['retry-after']) > 0)).toBe(true);
    const health = await fetch(`${h.app.webUrl}/health`);
    expect(health.status).toBe(503);

    // Redis is back; the vendor retries what was refused (Retry-After: 5 s; the test retries sooner).
    await redis.start();
    h.helpdesk.setWriteDelay(0);
    // The first, refused delivery was recorded; its retry queues that record (answered 2xx).
    const retried = await Promise.all(during.map((t) => h.deliver(t, { retryEveryMs: 200, timeoutMs: 20_000 })));
    expect(retried.every((statuses) => [200, 202].includes(statuses.at(-1)!))).toBe(true);

    const all = [...before, ...during];
    await h.waitForReplies(all, 40_000);
    await h.waitForDrain(20_000);
    expect(all.map((t) => h.helpdesk.comments(t.id).length)).toEqual(all.map(() => 1));

    await h.app.stop(); // PGlite: the database is the app process's until it exits
    const events = await h.withDb((db) => db('inbound_events').select('status').count({ n: '*' }).groupBy('status'));
    expect(events).toEqual([{ status: 'processed', n: all.length }]);
  }, 60_000);
});
