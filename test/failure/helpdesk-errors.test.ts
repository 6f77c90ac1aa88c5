import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchTicket } from '../../bench/tickets.js';
import type { StandinTicket } from '../../bench/helpdesk-standin.js';
import { answeredOnce, endStates, startHarness, type Harness } from './harness.js';

// The helpdesk rate-limits us (429 + Retry-After), then fails (500) — including 500s sent after the
// reply was actually saved, where only the exactly-once ledger's reconcile step (find our own
// comment) prevents a second reply. Everything is delivered, once, after backoff.
describe('helpdesk answering 429 and 500 for a while', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('delivers every reply exactly once after backing off', async () => {
    const tickets: StandinTicket[] = Array.from({ length: 40 }, (_, i) => benchTicket(i, 5_000_000));
    // 0–3 s: every call is rate-limited (Retry-After: 1 s).
    const rateLimitedUntil = performance.now() + 3000;
    h.helpdesk.fail({ status: 429, retryAfterS: 1, only: 'all', durationMs: 3000 });
    const acks = await Promise.all(tickets.slice(0, 20).map((t) => h.post(t)));
    expect(acks.map((a) => a.status)).toEqual(acks.map(() => 202));
    await new Promise((r) => setTimeout(r, 3000));
    // Then replies are saved but answered 500 (the caller cannot know the reply exists), until a
    // few jobs have been caught that way.
    h.helpdesk.fail({ status: 500, only: 'comments', applyThenFail: true, durationMs: 30_000 });
    const more = await Promise.all(tickets.slice(20).map((t) => h.post(t)));
    expect(more.map((a) => a.status)).toEqual(more.map(() => 202));
    const deadline = Date.now() + 20_000;
    while (h.helpdesk.stats().appliedThenFailed < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    h.helpdesk.clearFault();

    await h.waitForReplies(tickets, 45_000);
    await h.waitForDrain(30_000);
    // Faults were really served: 429s (one call at a time asks a rate-limited account, see
    // helpdesk-rate-limit.test.ts, so about three a second) and the 500s after saved replies.
    expect(h.helpdesk.stats().faultsServed).toBeGreaterThanOrEqual(10);
    expect(h.helpdesk.stats().appliedThenFailed).toBeGreaterThanOrEqual(5); // replies saved but answered 500
    expect(tickets.map((t) => h.helpdesk.comments(t.id).length)).toEqual(tickets.map(() => 1));
    // Nothing got through while the helpdesk refused everything: the bot waited it out.
    const firstReply = Math.min(...tickets.map((t) => h.helpdesk.comments(t.id)[0]!.at));
    expect(firstReply).toBeGreaterThanOrEqual(rateLimitedUntil - 50);

    await h.app.stop(); // PGlite: the database is the app process's until it exits
    await h.withDb(async (db) => {
      expect(await endStates(db)).toEqual(answeredOnce(tickets.length));
      // Some writes needed more than one attempt (or a reconcile) and still happened once.
      const [retried] = await db('inbound_events').where('attempts', '>', 1).count({ n: '*' });
      expect(Number(retried!.n)).toBeGreaterThan(0);
    });
  }, 60_000);
});
