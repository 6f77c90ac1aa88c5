import type { Knex } from 'knex';
import { draftNote, escalationNote, tagsFor } from '../delivery/notes.js';
import type { DeliveryOutcome, State } from '../pipeline/state.js';
import type { Store } from '../store/stores.js';
import type { ConversationRow } from './repository.js';

/** What delivery must do for a turn; stored with the trace so a retry replays it exactly. */
export type DeliveryPlan = {
  outcome: DeliveryOutcome;
  reason: string;
  /** The customer-facing reply (sent when outcome is auto; the draft otherwise). */
  replyText: string | null;
  /** Internal note for drafts, approvals and escalations. */
  noteText: string | null;
  tags: string[];
  escalation: { reason: string; priority: string } | null;
  actionId: string | null;
  actionAllowed: boolean;
};

export type RecordedTurn = {
  conversationId: string;
  userMessageId: string;
  assistantMessageId: string | null;
  traceId: string;
  intent: string | null;
  confidence: number | null;
  plan: DeliveryPlan;
};

const HELPDESKS = new Set(['zendesk', 'gorgias']);

/** Persists a finished pipeline run in one transaction (the turn is recorded whole or not at all). */
export async function recordTurn(
  db: Knex,
  input: { store: Store; conversation: ConversationRow; userMessageId: string; turnKey: string; inboundEventId: string | null; state: State; latencyMs: number },
): Promise<Omit<RecordedTurn, 'plan'> & { plan: DeliveryPlan }> {
  const { state, store, conversation } = input;
  const u = state.understanding!;
  const d = state.decision!;
  const outcome = state.outcome!;
  const helpdesk = HELPDESKS.has(conversation.channel);
  const escalated = outcome.outcome === 'escalated';
  const order = state.context?.orders.order ?? null;

  return db.transaction(async (trx) => {
    await trx('messages').where({ id: input.userMessageId }).update({
      intent: u.intent,
      confidence: u.confidence,
      sentiment: u.sentiment,
      language: u.language,
      entities: JSON.stringify(u.entities),
    });
    await trx('conversations').where({ id: conversation.id }).update({
      primary_intent: conversation.primary_intent ?? u.intent,
      sentiment: u.sentiment,
      priority: d.escalation?.priority ?? trx.raw('priority'),
      // Carry the order over to the next turn only once the requester is known to own it.
      order_number: order && d.ownership === 'verified' ? order.orderNumber : trx.raw('order_number'),
      status: escalated ? 'escalated' : trx.raw('status'),
      updated_at: trx.fn.now(),
    });

    // The customer-facing text: none for a helpdesk escalation (a human answers), none when off.
    const replyText = outcome.outcome === 'off' || (escalated && helpdesk) ? null : state.reply!.text;
    const noteText = escalated ? escalationNote(state) : outcome.outcome === 'auto' || outcome.outcome === 'off' ? null : draftNote(state, outcome.reason);

    let actionId: string | null = null;
    const actionAllowed = d.verdict?.status === 'allowed';
    if (d.action && d.verdict) {
      const status =
        d.verdict.status === 'refused' ? 'rejected' : d.verdict.status === 'needs_approval' ? 'awaiting_approval' : outcome.outcome === 'auto' ? 'approved' : 'proposed';
      const [a] = await trx('actions')
        .insert({
          store_id: store.id,
          conversation_id: conversation.id,
          action_type: d.action.type,
          order_number: d.action.orderNumber,
          customer_email: conversation.customer_email,
          action_data: JSON.stringify(d.action),
          status,
          idempotency_key: `action:${input.turnKey}`,
          error_message: d.verdict.status === 'refused' ? d.verdict.reason : null,
        })
        .onConflict(['store_id', 'idempotency_key'])
        .merge(['status'])
        .returning('id');
      actionId = a.id;
    }

    let assistantMessageId: string | null = null;
    if (replyText) {
      const sendNow = outcome.outcome === 'auto' || (escalated && !helpdesk);
      const [m] = await trx('messages')
        .insert({
          store_id: store.id,
          conversation_id: conversation.id,
          role: 'assistant',
          content: replyText,
          delivery: sendNow ? 'public' : 'draft',
          status: sendNow ? 'pending' : 'pending_approval',
          intent: u.intent,
          confidence: u.confidence,
          language: state.reply!.language,
          tokens_used: state.trace.reduce((s, t) => s + (t.tokens ?? 0), 0),
          latency_ms: input.latencyMs,
          metadata: JSON.stringify({ turnKey: input.turnKey, actionId, author: state.reply!.author }),
        })
        .returning('id');
      assistantMessageId = m.id;
      if (actionId) await trx('actions').where({ id: actionId }).update({ message_id: m.id });
    }

    const plan: DeliveryPlan = {
      outcome: outcome.outcome,
      reason: outcome.reason,
      replyText,
      noteText,
      tags: store.settings.tags.enabled ? tagsFor(state, outcome.outcome, store.settings.tags.prefix) : [],
      escalation: d.escalation ? { reason: d.escalation.reason, priority: d.escalation.priority } : null,
      actionId,
      actionAllowed,
    };
    const tokens = state.trace.reduce((s, t) => s + (t.tokens ?? 0), 0);
    const cost = state.trace.reduce((s, t) => s + (t.costUsd ?? 0), 0);
    const [trace] = await trx('decision_traces')
      .insert({
        store_id: store.id,
        conversation_id: conversation.id,
        message_id: assistantMessageId,
        inbound_event_id: input.inboundEventId,
        turn_key: input.turnKey,
        engine: state.engine,
        outcome: outcome.outcome,
        intent: u.intent,
        confidence: u.confidence,
        nodes: JSON.stringify(state.trace),
        citations: JSON.stringify(
          (state.context?.passages ?? []).map((p) => ({ chunkId: p.chunkId, documentTitle: p.documentTitle, heading: p.heading, excerpt: p.content.slice(0, 240) })),
        ),
        total_tokens: tokens,
        cost_usd: cost,
        latency_ms: input.latencyMs,
        delivery: JSON.stringify(plan),
      })
      .returning('id');
    return {
      conversationId: conversation.id,
      userMessageId: input.userMessageId,
      assistantMessageId,
      traceId: trace.id,
      intent: u.intent,
      confidence: u.confidence,
      plan,
    };
  });
}

/** The turn recorded under this key, if a previous attempt got that far. */
export async function loadRecordedTurn(db: Knex, storeId: string, turnKey: string): Promise<RecordedTurn | null> {
  const t = await db('decision_traces').where({ store_id: storeId, turn_key: turnKey }).first();
  if (!t) return null;
  const user = await db('messages')
    .where({ conversation_id: t.conversation_id, external_id: `turn:${turnKey}` })
    .orWhereRaw("conversation_id = ? and metadata->>'turnKey' = ? and role = 'user'", [t.conversation_id, turnKey])
    .first('id');
  return {
    conversationId: t.conversation_id,
    userMessageId: user?.id ?? '',
    assistantMessageId: t.message_id,
    traceId: t.id,
    intent: t.intent,
    confidence: t.confidence,
    plan: t.delivery as DeliveryPlan,
  };
}
