/**
 * `approval.execute`: carry out what a person approved from the dashboard/API (src/api/approvals.ts).
 *
 * - kind `message`: the approved draft (status `pending`, content possibly edited). If it announces
 *   a store action, that action runs first (exactly once, src/commerce/action-executor.ts); if it
 *   fails, the seed's action_failed text goes out instead and the conversation is escalated. Then
 *   the reply is delivered publicly: through the helpdesk for zendesk/gorgias/email conversations,
 *   under the key `approved-reply:<messageId>`; API/widget conversations read it from the API.
 * - kind `action`: the approved action runs, then the customer gets the confirmation (or the
 *   action_failed text) as an assistant message, delivered under `approved-action-reply:<actionId>`.
 *
 * Safe to retry at any step: the action and each external write are recorded before they are
 * made (performOnce), and the message is marked sent last.
 */
import type { Job as BullJob } from 'bullmq';
import type { AppContext } from '../../src/app/context.js';
import { actionDoneText } from '../../src/api/approval-texts.js';
import { executeAction, type ExecuteResult } from '../../src/commerce/action-executor.js';
import { ERROR_TEXTS } from '../../src/commerce/error-texts.js';
import { getCommerceConnector } from '../../src/commerce/resolve-connector.js';
import { PermanentError } from '../../src/errors.js';
import { postOnce } from '../../src/delivery/post-once.js';
import { performOnce } from '../../src/store/external-writes.js';
import { findStore, type Store } from '../../src/store/stores.js';
import type { CommerceConnector, HelpdeskKind } from '../../connectors/types.js';
import { getHelpdeskConnector, type ConnectorDeps } from '../../connectors/registry.js';

const HELPDESK_CHANNELS = new Set<string>(['zendesk', 'gorgias', 'email']);
const RUNNABLE = new Set(['proposed', 'approved', 'completed', 'failed']);

type Conversation = { id: string; channel: string; external_id: string | null; metadata: Record<string, unknown> | null };
type Job = { storeId: string; kind: 'message' | 'action'; id: string };

export function approvalExecuteHandler(ctx: AppContext, io: ConnectorDeps = {}) {
  return async ({ storeId, kind, id }: Job, job?: BullJob) => {
    try {
      const store = await findStore(ctx.db, storeId);
      if (!store) throw new PermanentError('store not found');
      const commerce = await getCommerceConnector(ctx, store, io);
      const out = kind === 'message' ? await approvedMessage(ctx, io, store, commerce, id) : await approvedAction(ctx, io, store, commerce, id);
      ctx.logger.info({ component: 'approval-execute', storeId, kind, id, ...out }, 'approval carried out');
      return out;
    } catch (err) {
      // After the last attempt the reply is marked failed (with the error) instead of staying
      // "being delivered" forever; a person sees it in the conversation.
      const final = err instanceof PermanentError || !job || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (final) await markUndelivered(ctx, storeId, kind, id, err).catch(() => {});
      throw err;
    }
  };
}

async function markUndelivered(ctx: AppContext, storeId: string, kind: Job['kind'], id: string, err: unknown): Promise<void> {
  const error = JSON.stringify({ delivery_error: String((err as Error)?.message ?? err).slice(0, 500) });
  const q = ctx.db('messages').where({ store_id: storeId, status: 'pending' });
  if (kind === 'message') q.where({ id });
  else q.whereRaw("metadata->>'approvalOf' = ?", [id]);
  await q.update({ status: 'failed', metadata: ctx.db.raw('metadata || ?::jsonb', [error]) });
}

async function approvedMessage(ctx: AppContext, io: ConnectorDeps, store: Store, commerce: CommerceConnector, id: string) {
  const { db } = ctx;
  const m = await db('messages').where({ store_id: store.id, id, role: 'assistant' }).first();
  if (!m) throw new PermanentError('message not found');
  if (m.status === 'sent') return { status: 'sent', replayed: true };
  if (m.status !== 'pending') return { status: 'skipped', reason: `message is ${m.status}` };
  const conversation = await loadConversation(ctx, store.id, m.conversation_id);

  let text: string = m.content;
  let failed: ExecuteResult | null = null;
  let actionStatus: string | null = null;
  const actionId = (m.metadata?.actionId as string | undefined) ?? null;
  const action = actionId ? await db('actions').where({ store_id: store.id, id: actionId }).first('id', 'status') : null;
  if (action && RUNNABLE.has(action.status)) {
    // The draft announces this action: approving the reply approves the action.
    const by = (m.metadata?.approval as { by?: string } | undefined)?.by ?? 'approval';
    await db('actions').where({ id: action.id, status: 'proposed' }).update({ status: 'approved', approved_by: by });
    const r = await executeAction({ db, connector: commerce, settings: store.settings }, { storeId: store.id, actionId: action.id });
    actionStatus = r.status;
    if (r.status === 'awaiting_approval' || r.status === 'rejected') {
      await db('messages').where({ id: m.id, status: 'pending' }).update({ status: 'pending_approval' });
      return { status: 'held', reason: `action is ${r.status}` };
    }
    if (r.status === 'failed') {
      failed = r;
      text = ERROR_TEXTS.action_failed;
    }
  }
  await deliver(ctx, io, store, conversation, { messageId: m.id, text, key: `approved-reply:${m.id}`, failed });
  return { status: 'sent', actionStatus };
}

async function approvedAction(ctx: AppContext, io: ConnectorDeps, store: Store, commerce: CommerceConnector, id: string) {
  const { db } = ctx;
  const a = await db('actions').where({ store_id: store.id, id }).first();
  if (!a) throw new PermanentError('action not found');
  if (!RUNNABLE.has(a.status) || a.status === 'proposed') return { status: 'skipped', reason: `action is ${a.status}` };
  const r = await executeAction({ db, connector: commerce, settings: store.settings }, { storeId: store.id, actionId: a.id });
  if (r.status === 'awaiting_approval' || r.status === 'rejected') return { status: 'skipped', reason: `action is ${r.status}` };
  if (!a.conversation_id) return { status: r.status, reply: null };
  const conversation = await loadConversation(ctx, store.id, a.conversation_id);

  // The customer's message for this approval: made once (found again on a retry). A draft that
  // announced the action becomes that message, so the approval queue keeps no stale copy.
  let msg = await db('messages').where({ store_id: store.id, conversation_id: conversation.id }).whereRaw("metadata->>'approvalOf' = ?", [a.id]).first();
  if (msg?.status === 'sent') return { status: r.status, replayed: true };
  const draft = msg ?? (await db('messages').where({ store_id: store.id, conversation_id: conversation.id, status: 'pending_approval' }).whereRaw("metadata->>'actionId' = ?", [a.id]).first());
  const text =
    r.status === 'completed'
      ? await actionDoneText({
          action: a,
          commerce,
          settings: store.settings,
          language: draft?.language ?? null,
          customerName: (conversation.metadata?.customer_name as string | undefined) ?? null,
          intent: draft?.intent ?? null,
        })
      : ERROR_TEXTS.action_failed;
  if (draft) {
    await db('messages')
      .where({ id: draft.id })
      .update({ content: text, status: 'pending', metadata: db.raw('metadata || ?::jsonb', [JSON.stringify({ approvalOf: a.id })]) });
    msg = { ...draft, id: draft.id };
  } else {
    [msg] = await db('messages')
      .insert({
        store_id: store.id,
        conversation_id: conversation.id,
        role: 'assistant',
        content: text,
        delivery: 'public',
        status: 'pending',
        intent: a.action_type === 'refund' ? 'refund_request' : a.action_type,
        metadata: JSON.stringify({ approvalOf: a.id, actionId: a.id, author: 'template:action_done' }),
      })
      .returning(['id']);
  }
  await deliver(ctx, io, store, conversation, {
    messageId: msg.id,
    text,
    key: `approved-action-reply:${a.id}`,
    failed: r.status === 'failed' ? r : null,
  });
  return { status: r.status, messageId: msg.id };
}

async function loadConversation(ctx: AppContext, storeId: string, id: string): Promise<Conversation> {
  const c = await ctx.db('conversations').where({ store_id: storeId, id }).first('id', 'channel', 'external_id', 'metadata');
  if (!c) throw new PermanentError('conversation not found');
  return c;
}

/**
 * The public reply, exactly once, then recorded as sent; after a failed action the conversation
 * is escalated (and the helpdesk ticket reassigned, also exactly once).
 */
async function deliver(
  ctx: AppContext,
  io: ConnectorDeps,
  store: Store,
  conversation: Conversation,
  input: { messageId: string; text: string; key: string; failed: ExecuteResult | null },
): Promise<void> {
  const { db } = ctx;
  let externalId: string | null = null;
  if (HELPDESK_CHANNELS.has(conversation.channel)) {
    const connector = await getHelpdeskConnector(ctx, store, conversation.channel as HelpdeskKind, io);
    if (!connector || !conversation.external_id) {
      await db('messages').where({ id: input.messageId }).update({ status: 'failed' });
      throw new PermanentError(`${conversation.channel} is not connected for this store: the approved reply cannot be sent`);
    }
    const ref = { externalTicketId: conversation.external_id };
    const reply = { body: input.text, visibility: 'public' as const };
    externalId = await postOnce(db, { storeId: store.id, connector, ref, key: input.key, operation: 'reply', reply });
    if (input.failed && connector.kind !== 'email') {
      const escalateKey = `${input.key}:escalate`;
      const reason = input.failed.status === 'failed' ? input.failed.reason : 'action failed';
      await performOnce(db, {
        storeId: store.id,
        idempotencyKey: escalateKey,
        target: connector.kind,
        operation: 'escalate',
        execute: async () => {
          await connector.escalate(
            ref,
            { ...(connector.kind === 'email' ? {} : store.settings.escalation[connector.kind]), priority: 'high', note: `🤖 An approved action could not be completed: ${reason}. The customer was told a person will follow up.` },
            { idempotencyKey: escalateKey },
          );
          return {};
        },
      });
    }
  }
  await db('messages').where({ id: input.messageId }).update({ content: input.text, delivery: 'public', status: 'sent', external_id: externalId });
  await db('conversations')
    .where({ id: conversation.id })
    .update({
      first_response_at: db.raw('coalesce(first_response_at, now())'),
      status: input.failed ? 'escalated' : db.raw('status'),
      updated_at: db.fn.now(),
    });
}
