import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchTicket } from '../../bench/tickets.js';
import type { StandinTicket } from '../../bench/helpdesk-standin.js';
import { answeredOnce, endStates, startHarness, type Harness } from './harness.js';

// A burst of tickets meets a helpdesk account that is over its API rate limit for longer than the
// eight retries of a job last (at this Retry-After, about 12 s). The limit is a queue at the vendor,
// not a failure of any ticket: every ticket must be answered once it lifts, none left as a dead
// letter, and the worker must not keep knocking with every job (one 429 holds the others back).
describe('helpdesk rate limit outlasting the retries', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  const summary = async () => {
    const res = await fetch(`${h.app.webUrl}/api/v1/stores/demo/inbound-events/summary`, {
      headers: { authorization: `Bearer ${h.app.apiKey}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { pending: number; oldest_pending_s: number | null; dead: number; rate_limited: number };
  };

  it('answers every ticket once after the limit lifts, and stops asking while it lasts', async () => {
    const tickets: StandinTicket[] = Array.from({ length: 20 }, (_, i) => benchTicket(i, 6_000_000));
    const windowMs = 18_000;
    const limitedUntil = performance.now() + windowMs;
    h.helpdesk.fail({ status: 429, retryAfterS: 0.5, only: 'all', durationMs: windowMs });
    await h.postAllAccepted(tickets);
    // While the limit lasts the backlog says why the tickets wait (the dashboard's warning reads this).
    await expect.poll(async () => (await summary()).rate_limited, { timeout: 10_000, interval: 200 }).toBeGreaterThan(0);
    expect(await summary()).toMatchObject({ pending: tickets.length, dead: 0 });

    await h.waitForReplies(tickets, windowMs + 30_000);
    await h.waitForDrain(30_000);
    expect(tickets.map((t) => h.helpdesk.comments(t.id).length)).toEqual(tickets.map(() => 1));
    const firstReply = Math.min(...tickets.map((t) => h.helpdesk.comments(t.id)[0]!.at));
    expect(firstReply).toBeGreaterThanOrEqual(limitedUntil - 50);
    expect(await summary()).toEqual({ pending: 0, oldest_pending_s: null, dead: 0, rate_limited: 0 });
    // Each job asking for itself would be at least one 429 per job every ~0.6 s: about 600 over the
    // window (576 measured when every held call asked at the end of the hold). One call asks first.
    const refused = h.helpdesk.stats().faultsServed;
    expect(refused).toBeGreaterThan(10);
    expect(refused).toBeLessThan(200);

    await h.app.stop(); // PGlite: the database is the app process's until it exits
    expect(await h.withDb(endStates)).toEqual(answeredOnce(tickets.length));
  }, 90_000);
});
