/**
 * Gives back its job to a person's approval whose `approval.execute` job Redis lost (see
 * src/ingest/recover-lost-jobs.ts for when that happens). Without it an approved refund or reply
 * would stay "approved" for good: it never runs, and it cannot be approved again.
 *
 * Candidates are approvals still waiting to be carried out, decided longer than `olderThanMs` ago:
 * actions `approved` through the API (approved_at set), and drafts `pending` with an approval in
 * their metadata. Their job id is derived from the decision time (approvalJobId), so only that
 * very job is looked up, and enqueued again under the same id when the queue does not know it.
 * Running it again is safe: the action and every write are exactly-once.
 *
 * Not covered: a job lost after it had completed the action but before the reply went out (the
 * action is `completed` then); that takes a worker crash and Redis losing the job together.
 */
import type { AppContext } from '../app/context.js';
import { processMetrics } from '../metrics/process-metrics.js';
import { approvalJobId } from './approval-decisions.js';

type Approval = { kind: 'message' | 'action'; id: string; store_id: string; decided_at: string };

const LIMIT = 500;

export async function recoverLostApprovals(
  ctx: Pick<AppContext, 'db' | 'queues' | 'logger'>,
  opts: { olderThanMs: number },
): Promise<string[]> {
  const { db } = ctx;
  const cutoff = db.raw(`now() - make_interval(secs => ?)`, [opts.olderThanMs / 1000]);
  const at = (column: string) => db.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as decided_at`);
  const actions: Approval[] = await db('actions')
    .select(db.raw(`'action' as kind`), 'id', 'store_id', at('approved_at'))
    .where({ status: 'approved' })
    .where('approved_at', '<', cutoff)
    .limit(LIMIT);
  const drafts: Approval[] = await db('messages')
    .select(db.raw(`'message' as kind`), 'id', 'store_id', db.raw(`metadata->'approval'->>'at' as decided_at`))
    .where({ status: 'pending', role: 'assistant' })
    .whereRaw(`(metadata->'approval'->>'at')::timestamptz < ?`, [cutoff])
    .limit(LIMIT);

  const queue = ctx.queues.queue('approval.execute');
  const jobIdOf = (a: Approval) => approvalJobId(a.kind, a.id, new Date(a.decided_at));
  const candidates = [...actions, ...drafts];
  const states = await Promise.all(candidates.map((a) => queue.getJobState(jobIdOf(a))));
  const requeued: string[] = [];
  for (const [i, a] of candidates.entries()) {
    if (states[i] !== 'unknown') continue;
    await ctx.queues.enqueue('approval.execute', { storeId: a.store_id, kind: a.kind, id: a.id }, { jobId: jobIdOf(a) });
    processMetrics().jobsRecovered.inc({ queue: 'approval.execute' });
    requeued.push(a.id);
  }
  if (requeued.length) ctx.logger.warn({ ids: requeued, count: requeued.length }, 'approvals whose job the queue lost were enqueued again');
  return requeued;
}
