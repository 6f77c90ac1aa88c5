import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastForwardLockExpiry, startHarness, ticketsWithCancels, waitUntil, type Harness } from './harness.js';
import { TEST_REDIS_URL } from '../helpers/context.js';

// A worker killed with SIGKILL in the middle of a batch (jobs half-way through writes to the
// helpdesk and the store) and started again: every ticket ends with exactly one reply, and no
// store action is done twice. With TEST_DATABASE_URL only the worker process dies; on PGlite the
// whole `npm start` process does (web and worker are one process there).
describe('worker killed mid-batch, then restarted', () => {
  let h: Harness;
  // Every fourth ticket asks to cancel a pending order (a store action), the rest ask where it is.
  const { tickets, cancels } = ticketsWithCancels(40, 2_000_000, 3_000_000);

  beforeAll(async () => {
    h = await startHarness({ workerConcurrency: 8 });
  });
  afterAll(async () => h?.close());

  it('ends with exactly one reply per ticket and each cancellation done once', async () => {
    // Replies are slow to be acknowledged: at the kill, several jobs have a reply posted but not
    // yet marked sent in the ledger (the case the ledger must reconcile, not repeat).
    h.helpdesk.setWriteDelay(400);
    await h.postAllAccepted(tickets);

    await waitUntil(() => answered() >= 10, 30_000);
    const victim = h.jobProcess();
    victim.kill('SIGKILL');
    await victim.exited;
    const answeredAtKill = answered();
    expect(answeredAtKill).toBeLessThan(tickets.length); // it really died mid-batch

    await fastForwardLockExpiry(TEST_REDIS_URL, h.queuePrefix);
    h.helpdesk.setWriteDelay(0);
    await h.app.startWorker();
    await h.waitForReplies(tickets, 40_000);
    await h.waitForDrain(20_000);

    const counts = tickets.map((t) => h.helpdesk.comments(t.id).length);
    expect(counts).toEqual(tickets.map(() => 1));
    expect(tickets.every((t) => h.helpdesk.comments(t.id)[0]!.public)).toBe(true);

    await h.app.stop(); // PGlite: the database is the app process's until it exits
    await h.withDb(async (db) => {
      const events = await db('inbound_events').select('status').count({ n: '*' }).groupBy('status');
      expect(events).toEqual([{ status: 'processed', n: tickets.length }]);
      // Some jobs were in flight at the kill and ran a second time after the restart.
      const [rerun] = await db('inbound_events').where('attempts', '>', 1).count({ n: '*' });
      expect(Number(rerun!.n)).toBeGreaterThan(0);
      const actions = await db('actions').select('order_number', 'status');
      expect(actions).toHaveLength(cancels.length);
      expect(actions.every((a) => a.status === 'completed')).toBe(true);
      for (const a of actions) {
        const order = await db('orders').where({ order_number: a.order_number }).first('status', 'payment_history');
        expect(order.status).toBe('cancelled');
        const refunds = (order.payment_history as { transaction_type: string }[]).filter((p) => p.transaction_type === 'refund');
        expect(refunds.length).toBeLessThanOrEqual(1); // refunded at most once (once when it was paid)
      }
      const writes = await db('external_writes').select('status').count({ n: '*' }).groupBy('status');
      expect(writes).toEqual([{ status: 'sent', n: tickets.length + cancels.length }]);
    });
  }, 60_000);

  const answered = () => tickets.filter((t) => h.helpdesk.comments(t.id).length > 0).length;
});
