import type { AppContext } from '../app/context.js';
import { conflict, HttpError, notFound } from '../errors.js';

const PENDING_ACTION = ['awaiting_approval', 'proposed'];

type Who = { storeId: string; id: string; apiKeyId: string };

/**
 * A person's decision on a draft or an action. The status changes atomically (a second click
 * answers 409), then approvals are carried out by the `approval.execute` job (vendor calls never
 * run in the request). If the job cannot be queued the decision is undone and the answer is 503.
 */
export async function approveMessage(ctx: AppContext, who: Who, content: string | undefined): Promise<void> {
  const { db } = ctx;
  const m = await db('messages').where({ store_id: who.storeId, id: who.id, role: 'assistant' }).first('id', 'status', 'content');
  if (!m) throw notFound('message not found');
  if (m.status !== 'pending_approval') throw conflict(`the message is ${m.status}, not pending approval`);
  const at = new Date();
  // The job is named in the approval so the lost-job recovery can ask the queue for it.
  const job = approvalJobId('message', m.id, at);
  const approval = { by: `api-key:${who.apiKeyId}`, at: at.toISOString(), edited: content !== undefined && content !== m.content, job };
  const n = await db('messages')
    .where({ id: m.id, status: 'pending_approval' })
    .update({ status: 'pending', content: content ?? m.content, metadata: db.raw('metadata || ?::jsonb', [JSON.stringify({ approval })]) });
  if (!n) throw conflict('the message was decided by someone else meanwhile');
  await enqueueOrUndo(ctx, who, 'message', job, async () => {
    await db('messages').where({ id: m.id, status: 'pending' }).update({ status: 'pending_approval', content: m.content });
  });
}

/** Rejects a draft; the store action it announced (still only proposed) is rejected with it. */
export async function rejectMessage(ctx: AppContext, who: Who, reason: string | undefined): Promise<void> {
  const { db } = ctx;
  const m = await db('messages').where({ store_id: who.storeId, id: who.id, role: 'assistant' }).first('id', 'status', 'metadata');
  if (!m) throw notFound('message not found');
  if (m.status !== 'pending_approval') throw conflict(`the message is ${m.status}, not pending approval`);
  const rejection = { by: `api-key:${who.apiKeyId}`, at: new Date().toISOString(), reason: reason ?? null };
  await db.transaction(async (trx) => {
    const n = await trx('messages')
      .where({ id: m.id, status: 'pending_approval' })
      .update({ status: 'rejected', metadata: trx.raw('metadata || ?::jsonb', [JSON.stringify({ rejection })]) });
    if (!n) throw conflict('the message was decided by someone else meanwhile');
    const actionId = (m.metadata?.actionId as string | undefined) ?? null;
    if (actionId) {
      await trx('actions')
        .where({ store_id: who.storeId, id: actionId, status: 'proposed' })
        .update({ status: 'rejected', error_message: 'rejected with the draft that announced it', approved_by: rejection.by });
    }
  });
}

export async function approveAction(ctx: AppContext, who: Who): Promise<void> {
  const { db } = ctx;
  const a = await db('actions').where({ store_id: who.storeId, id: who.id }).first('id', 'status');
  if (!a) throw notFound('action not found');
  if (!PENDING_ACTION.includes(a.status)) throw conflict(`the action is ${a.status}, not waiting for approval`);
  const at = new Date();
  const n = await db('actions').where({ id: a.id }).whereIn('status', PENDING_ACTION).update({ status: 'approved', approved_by: `api-key:${who.apiKeyId}`, approved_at: at });
  if (!n) throw conflict('the action was decided by someone else meanwhile');
  await enqueueOrUndo(ctx, who, 'action', approvalJobId('action', a.id, at), async () => {
    await db('actions').where({ id: a.id, status: 'approved' }).update({ status: a.status, approved_by: null, approved_at: null });
  });
}

/** Rejects an action; a drafted reply announcing it is rejected too (it would promise what won't happen). */
export async function rejectAction(ctx: AppContext, who: Who, reason: string | undefined): Promise<void> {
  const { db } = ctx;
  const a = await db('actions').where({ store_id: who.storeId, id: who.id }).first('id', 'status');
  if (!a) throw notFound('action not found');
  if (!PENDING_ACTION.includes(a.status)) throw conflict(`the action is ${a.status}, not waiting for approval`);
  const by = `api-key:${who.apiKeyId}`;
  await db.transaction(async (trx) => {
    const n = await trx('actions')
      .where({ id: a.id })
      .whereIn('status', PENDING_ACTION)
      .update({ status: 'rejected', error_message: reason ?? 'rejected by a person', approved_by: by });
    if (!n) throw conflict('the action was decided by someone else meanwhile');
    const rejection = { by, at: new Date().toISOString(), reason: 'the action it announced was rejected' };
    await trx('messages')
      .where({ store_id: who.storeId, status: 'pending_approval' })
      .whereRaw("metadata->>'actionId' = ?", [a.id])
      .update({ status: 'rejected', metadata: trx.raw('metadata || ?::jsonb', [JSON.stringify({ rejection })]) });
  });
}

/**
 * The job that carries out one decision: a fresh id per decision (the status change is what
 * prevents doubles). An action's is derived from its recorded approved_at, so the lost-job
 * recovery can find it; a draft's is kept in its approval metadata.
 */
export function approvalJobId(kind: 'message' | 'action', id: string, decidedAt: Date): string {
  return `approval-${kind}-${id}-${decidedAt.getTime()}`;
}

async function enqueueOrUndo(ctx: AppContext, who: Who, kind: 'message' | 'action', jobId: string, undo: () => Promise<void>): Promise<void> {
  try {
    await ctx.queues.enqueue('approval.execute', { storeId: who.storeId, kind, id: who.id }, { jobId });
  } catch (err) {
    await undo().catch(() => {});
    ctx.logger.error({ storeId: who.storeId, kind, id: who.id, err: (err as Error).message }, 'approval not queued');
    throw new HttpError(503, 'the approval could not be queued (Redis unavailable); nothing was done, try again', undefined, { 'Retry-After': '5' });
  }
}
