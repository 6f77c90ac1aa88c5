import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, ticketsWithCancels, waitUntil, type Harness } from './harness.js';

// A deploy or a platform restart (Heroku's daily one included) stops the worker with SIGTERM
// while it is working through a backlog. Unlike a crash, nothing should be cut off: the jobs it
// holds finish, the process exits cleanly, and the next worker takes the rest without re-running
// anything and without waiting for a job lock to expire. With TEST_DATABASE_URL only the worker
// process is stopped; on PGlite the whole `npm start` process is (web and worker are one there).
describe('worker stopped with SIGTERM mid-batch (a deploy), then started again', () => {
  let h: Harness;
  const { tickets, cancels } = ticketsWithCancels(40, 2_100_000, 3_100_000);

  beforeAll(async () => {
    // A lock far longer than the test: a job left active by the stop would show as a stuck ticket.
    h = await startHarness({ workerConcurrency: 8, extraEnv: { JOB_LOCK_MS: '120000' } });
  });
  afterAll(async () => h?.close());

  it('finishes the jobs it holds, exits 0, and the next worker answers the rest once each', async () => {
    // Slow replies: at the signal, several jobs are between posting a reply and recording it.
    h.helpdesk.setWriteDelay(400);
    await h.postAllAccepted(tickets);

    await waitUntil(() => answered() >= 10, 30_000);
    const victim = h.jobProcess();
    victim.kill('SIGTERM');
    expect(await victim.exited).toBe(0); // "stopped cleanly", not the shutdown timeout
    const answeredAtStop = answered();
    expect(answeredAtStop).toBeLessThan(tickets.length); // it really stopped mid-batch

    const counts = await h.app.jobCounts();
    expect(counts.active).toBe(0); // nothing left holding a lock
    // Every ticket it had started was answered before it exited.
    expect(answeredAtStop).toBe(counts.completed);

    h.helpdesk.setWriteDelay(0);
    await h.app.startWorker();
    // Well inside the 120 s lock: nothing waits for a stalled-job check.
    await h.waitForReplies(tickets, 30_000);
    await h.waitForDrain(20_000);

    expect(tickets.map((t) => h.helpdesk.comments(t.id).length)).toEqual(tickets.map(() => 1));

    await h.app.stop(); // PGlite: the database is the app process's until it exits
    await h.withDb(async (db) => {
      const events = await db('inbound_events').select('status').count({ n: '*' }).groupBy('status');
      expect(events).toEqual([{ status: 'processed', n: tickets.length }]);
      // A graceful stop repeats no work: every event was claimed exactly once.
      const [rerun] = await db('inbound_events').where('attempts', '>', 1).count({ n: '*' });
      expect(Number(rerun!.n)).toBe(0);
      const actions = await db('actions').select('status');
      expect(actions).toHaveLength(cancels.length);
      expect(actions.every((a) => a.status === 'completed')).toBe(true);
      const writes = await db('external_writes').select('status').count({ n: '*' }).groupBy('status');
      expect(writes).toEqual([{ status: 'sent', n: tickets.length + cancels.length }]);
    });
  }, 90_000);

  const answered = () => tickets.filter((t) => h.helpdesk.comments(t.id).length > 0).length;
});
