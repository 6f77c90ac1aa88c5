/**
 * Gives back their job to recorded events whose job Redis no longer holds.
 *
 * Intake commits the event, then enqueues its job, then answers the vendor: from then on the
 * vendor will not deliver it again, and only the job gets the ticket answered. Redis can lose
 * that job: a restart without persistence, a failover to a replica the write had not reached, a
 * `maxmemory-policy` that evicts keys, or an enqueue that failed (503) whose vendor retry never
 * came. Before, such a ticket stayed pending for good, only visible as an old pending delivery.
 *
 * Every worker process walks the pending events received and last started over `olderThanMs`
 * ago, every minute (src/app/lost-job-recovery.ts), and asks the queue about each one's job. Only a job the queue does not know at all is enqueued
 * again, under the same id: one that waits (a rate limit, a database outage, a backlog), runs or
 * failed is left alone, and two workers recovering the same event add one job (BullMQ keeps one
 * job per id). Running the job again is safe: every external write is exactly-once.
 */
import type { AppContext } from '../app/context.js';
import { processMetrics } from '../metrics/process-metrics.js';
import { intakeJobId, jobFor } from './event-jobs.js';
import { PENDING_STATUSES, READABLE_EVENT_SQL } from './statuses.js';

type Candidate = { id: string; store_id: string; source: string; job_id: string | null; received_at: string };
/** Where the walk stands: received_at as Postgres prints it (a JS Date would drop the microseconds). */
export type Cursor = { receivedAt: string; id: string };

export type RecoveryPass = { checked: number; requeued: string[]; next: Cursor | null };

/**
 * One batch: the pending events after `after` (oldest first) whose job is gone are enqueued
 * again. `next` is where the following batch starts, null once the newest was reached.
 */
export async function recoverLostJobs(
  ctx: Pick<AppContext, 'db' | 'queues' | 'logger'>,
  opts: { olderThanMs: number; batch?: number; after?: Cursor | null },
): Promise<RecoveryPass> {
  const batch = opts.batch ?? 200;
  const cutoff = ctx.db.raw(`now() - make_interval(secs => ?)`, [opts.olderThanMs / 1000]);
  const q = ctx.db('inbound_events')
    .select('id', 'store_id', 'source', 'job_id', ctx.db.raw('received_at::text as received_at'))
    .whereIn('status', PENDING_STATUSES)
    .where('received_at', '<', cutoff)
    // A job that started within the window may still be running although Redis lost it: a second
    // run beside it could write twice.
    .where((w) => w.whereNull('claimed_at').orWhere('claimed_at', '<', cutoff))
    // Dead letters kept at intake ({raw}) have no job to give back.
    .whereRaw(READABLE_EVENT_SQL)
    .orderBy([{ column: 'received_at' }, { column: 'id' }])
    .limit(batch);
  if (opts.after) q.whereRaw('(received_at, id) > (?::timestamptz, ?::uuid)', [opts.after.receivedAt, opts.after.id]);
  const rows: Candidate[] = await q;

  const jobs = rows.map((row) => ({ name: jobFor(row.source), jobId: row.job_id ?? intakeJobId(row.id) }));
  // One question per event, sent together (ioredis writes them without waiting for each answer).
  const states = await Promise.all(jobs.map(({ name, jobId }) => ctx.queues.queue(name).getJobState(jobId)));
  const requeued: string[] = [];
  for (const [i, row] of rows.entries()) {
    if (states[i] !== 'unknown') continue;
    const { name, jobId } = jobs[i]!;
    await ctx.queues.enqueue(name, { storeId: row.store_id, inboundEventId: row.id }, { jobId });
    // `received` said no job held it (a failed enqueue); now one does.
    await ctx.db('inbound_events').where({ id: row.id, status: 'received' }).update({ status: 'queued' });
    processMetrics().jobsRecovered.inc({ queue: name });
    requeued.push(row.id);
  }
  if (requeued.length) {
    ctx.logger.warn({ inboundEventIds: requeued, count: requeued.length }, 'jobs lost by the queue were enqueued again');
  }
  const last = rows.at(-1);
  return { checked: rows.length, requeued, next: rows.length === batch && last ? { receivedAt: last.received_at, id: last.id } : null };
}
