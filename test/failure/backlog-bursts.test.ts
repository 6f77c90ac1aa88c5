import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchTicket, followUp } from '../../bench/tickets.js';
import { startHarness, type Harness } from './harness.js';

// While the bot is held back (here the helpdesk rate-limits every call; a Redis or worker outage
// does the same), customers keep writing: "Hi there", then the question. When the bot catches up,
// each customer gets one reply, to the question, and nothing is answered twice or left out.
describe('customers writing twice while the bot is held back', () => {
  let h: Harness;
  const n = 10;
  const greetings = Array.from({ length: n }, (_, i) => ({ ...benchTicket(i, 7_000_000), text: 'Hi there' }));
  const questions = greetings.map((g, i) => followUp(g, 1, benchTicket(i, 7_000_000).text));
  const orderOf = (i: number) => /#W\d{7}/.exec(questions[i]!.text)![0];

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('answers each customer once, to the question, after the hold', async () => {
    h.helpdesk.fail({ status: 429, retryAfterS: 1, only: 'all', durationMs: 4000 });
    await h.postAllAccepted(greetings);
    await h.postAllAccepted(questions);

    await h.waitForReplies(greetings, 40_000);
    await h.waitForDrain(20_000);
    for (const [i, t] of greetings.entries()) {
      const replies = h.helpdesk.comments(t.id);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.public).toBe(true);
      expect(replies[0]!.htmlBody).toContain(orderOf(i));
    }

    await h.app.stop(); // PGlite: the database is the app process's until it exits
    await h.withDb(async (db) => {
      const ended = await db('inbound_events').select('status', 'skip_reason').count({ n: '*' }).groupBy('status', 'skip_reason').orderBy('status');
      expect(ended).toEqual([
        { status: 'processed', skip_reason: null, n },
        { status: 'skipped', skip_reason: 'superseded', n },
      ]);
      const writes = await db('external_writes').select('status').count({ n: '*' }).groupBy('status');
      expect(writes).toEqual([{ status: 'sent', n }]);
    });
  }, 60_000);
});
