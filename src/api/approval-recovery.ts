/**
 * Gives back its job to a person's approval whose `approval.execute` job Redis lost (see
 * src/ingest/recover-lost-jobs.ts for when that happens). Without it an approved refund or reply
 * would stay "approved" for good: it never runs, and it cannot be approved again.
 *
 * Candidates are approvals not yet finished, decided longer than `olderThanMs` ago:
 * - actions `approved` through the API (approved_at set; the job id derives from it);
 * - such actions already carried out (`completed` or `failed`) in the last day whose reply to the
 *   customer has neither gone out nor been given up on: the job was lost between the two;
 * - drafts `pending` whose approval metadata names its job.
 * Only that very job is looked up, and enqueued again under the same id when the queue does not
 * know it. Running it again is safe: the action and every write are exactly-once, and a job that
 * finished (and was since removed from Redis) left its reply sent or failed, so it is not a candidate.
 *
 * The day bounds the look: a job that used up its attempts is kept by the queue for 7 days, so
 * within the day "unknown" means lost, not purged.
 */
import type { AppContext } from '../app/context.js';
import { processMetrics } from '../metrics/process-metrics.js';
import { approvalJobId } from './approval-decisions.js';

type Approval = { kind: 'message' | 'action'; id: string; store_id: string; job_id: string };

const LIMIT = 500;
const CARRIED_OUT_HORIZON_S = 24 * 3600;

export async function recoverLostApprovals(
  ctx: Pick<AppContext, 'db' | 'queues' | 'logger'>,
  opts: { olderThanMs: number },
): Promise<string[]> {
  const { db } = ctx;
  const cutoff = db.raw(`now() - make_interval(secs => ?)`, [opts.olderThanMs / 1000]);
  const approvedMs = db.raw(`round(extract(epoch from approved_at) * 1000)::bigint::text as approved_ms`);
  const approved: { id: string; store_id: string; approved_ms: string }[] = await db('actions')
    .select('id', 'store_id', approvedMs)
    .where({ status: 'approved' })
    .where('approved_at', '<', cutoff)
    .limit(LIMIT);
  const unanswered: { id: string; store_id: string; approved_ms: string }[] = await db('actions as a')
    .select('a.id', 'a.store_id', approvedMs)
    .whereIn('a.status', ['completed', 'failed'])
    .whereNotNull('a.approved_at')
    .where('a.approved_at', '<', cutoff)
    .where('a.approved_at', '>', db.raw(`now() - make_interval(secs => ?)`, [CARRIED_OUT_HORIZON_S]))
    .whereNotNull('a.conversation_id')
    .whereNotExists(
      db('messages as m')
        .select(db.raw('1'))
        .whereRaw('m.conversation_id = a.conversation_id')
        .whereRaw(`m.metadata->>'approvalOf' = a.id::text`)
        .whereIn('m.status', ['sent', 'failed']),
    )
    .limit(LIMIT);
  // Drafts approved before their job was named in the approval have none: they are not looked at.
  const drafts: { id: string; store_id: string; job_id: string }[] = await db('messages')
    .select('id', 'store_id', db.raw(`metadata->'approval'->>'job' as job_id`))
    .where({ status: 'pending', role: 'assistant' })
    .whereRaw(`metadata->'approval'->>'job' is not null`)
    .whereRaw(`(metadata->'approval'->>'at')::timestamptz < ?`, [cutoff])
    .limit(LIMIT);
  const candidates: Approval[] = [
    ...[...approved, ...unanswered].map((a) => ({
      kind: 'action' as const,
      id: a.id,
      store_id: a.store_id,
      job_id: approvalJobId('action', a.id, new Date(Number(a.approved_ms))),
    })),
    ...drafts.map((d) => ({ kind: 'message' as const, ...d })),
  ];

  const queue = ctx.queues.queue('approval.execute');
  const states = await Promise.all(candidates.map((a) => queue.getJobState(a.job_id)));
  const requeued: string[] = [];
  for (const [i, a] of candidates.entries()) {
    if (states[i] !== 'unknown') continue;
    await ctx.queues.enqueue('approval.execute', { storeId: a.store_id, kind: a.kind, id: a.id }, { jobId: a.job_id });
    processMetrics().jobsRecovered.inc({ queue: 'approval.execute' });
    requeued.push(a.id);
  }
  if (requeued.length) ctx.logger.warn({ ids: requeued, count: requeued.length }, 'approvals whose job the queue lost were enqueued again');
  return requeued;
}
