import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { draftNote, escalationNote, tagsFor } from '../delivery/notes.js';
import type { DeliveryOutcome, State } from '../pipeline/state.js';
import type { Store } from '../store/stores.js';
import type { ConversationRow } from './repository.js';
import { phrasesFor } from '../pipeline/respond/phrases.js';
import { prepared } from '../db/prepared.js';

/** What delivery must do for a turn; stored with the trace so a retry replays it exactly. */
export type DeliveryPlan = {
  outcome: DeliveryOutcome;
  reason: string;
  /** The customer-facing reply (sent when outcome is auto; the draft otherwise). */
  replyText: string | null;
  /** Internal note for drafts, approvals and escalations. */
  noteText: string | null;
  /** Outside business hours with a holding reply: sent now, while the answer waits as a draft. */
  holdingText?: string | null;
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
  /** The automatic reply's exactly-once ledger row, when this call recorded it (deliverTurn posts under it). */
  replyWriteId?: string | null;
};

const HELPDESKS = new Set(['zendesk', 'gorgias']);

/**
 * Persists a finished pipeline run in one statement (the turn is recorded whole or not at all):
 * the customer message's analysis, the conversation's state, the proposed action, the bot's
 * reply (pending delivery) and the trace with the delivery plan. One round trip instead of a
 * transaction of six; the ids of the new action and reply are made here so the rows can point at
 * each other. A second record of the same turn fails on the trace's unique (store, turn_key).
 * With `replyTarget` (the connector that will post it), an automatic reply's entry in the
 * exactly-once ledger is recorded here too, its first attempt counted: delivery then posts it
 * without a statement of its own first.
 */
export async function recordTurn(
  db: Knex,
  input: {
    store: Store;
    conversation: ConversationRow;
    userMessageId: string;
    turnKey: string;
    inboundEventId: string | null;
    state: State;
    latencyMs: number;
    replyTarget?: string | null;
  },
): Promise<Omit<RecordedTurn, 'plan'> & { plan: DeliveryPlan }> {
  const { state, store, conversation } = input;
  const u = state.understanding!;
  const d = state.decision!;
  const outcome = state.outcome!;
  const helpdesk = HELPDESKS.has(conversation.channel);
  const escalated = outcome.outcome === 'escalated';
  const order = state.context?.orders.order ?? null;

  // The customer-facing text: none for a helpdesk escalation (a human answers), none when off.
  const replyText = outcome.outcome === 'off' || (escalated && helpdesk) ? null : state.reply!.text;
  const noteText = escalated ? escalationNote(state) : outcome.outcome === 'auto' || outcome.outcome === 'off' ? null : draftNote(state, outcome.reason);
  const actionAllowed = d.verdict?.status === 'allowed';
  const actionId = d.action && d.verdict ? randomUUID() : null;
  const assistantMessageId = replyText ? randomUUID() : null;
  const tokens = state.trace.reduce((s, t) => s + (t.tokens ?? 0), 0);
  const cost = state.trace.reduce((s, t) => s + (t.costUsd ?? 0), 0);
  const plan: DeliveryPlan = {
    outcome: outcome.outcome,
    reason: outcome.reason,
    replyText,
    noteText,
    holdingText: outcome.holding ? phrasesFor(state.reply?.language ?? store.settings.default_language).phrases.holding : null,
    tags: store.settings.tags.enabled ? tagsFor(state, outcome.outcome, store.settings.tags.prefix) : [],
    escalation: d.escalation ? { reason: d.escalation.reason, priority: d.escalation.priority } : null,
    actionId,
    actionAllowed,
  };

  const ctes: string[] = [];
  const bindings: Knex.Value[] = [];
  const cte = (sql: string, values: Knex.Value[]) => {
    ctes.push(sql);
    bindings.push(...values);
  };
  cte('um as (update messages set intent = ?, confidence = ?, sentiment = ?, language = ?, entities = ?::jsonb where id = ?)', [
    u.intent,
    u.confidence,
    u.sentiment,
    u.language,
    JSON.stringify(u.entities),
    input.userMessageId,
  ]);
  cte(
    `cv as (update conversations set primary_intent = coalesce(primary_intent, ?), sentiment = ?, priority = coalesce(?, priority),
       order_number = coalesce(?, order_number), status = coalesce(?, status), updated_at = now() where id = ?)`,
    [
      u.intent,
      u.sentiment,
      d.escalation?.priority ?? null,
      // Carry the order over to the next turn only once the requester is known to own it.
      order && d.ownership === 'verified' ? order.orderNumber : null,
      escalated ? 'escalated' : null,
      conversation.id,
    ],
  );
  if (assistantMessageId) {
    const sendNow = outcome.outcome === 'auto' || (escalated && !helpdesk);
    cte(
      `m as (insert into messages (id, store_id, conversation_id, role, content, delivery, status, intent, confidence, language, tokens_used, latency_ms, metadata)
       values (?, ?, ?, 'assistant', ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb))`,
      [
        assistantMessageId,
        store.id,
        conversation.id,
        replyText,
        sendNow ? 'public' : 'draft',
        sendNow ? 'pending' : 'pending_approval',
        u.intent,
        u.confidence,
        state.reply!.language,
        tokens,
        input.latencyMs,
        JSON.stringify({ turnKey: input.turnKey, actionId, author: state.reply!.author }),
      ],
    );
  }
  if (actionId && d.action && d.verdict) {
    const status =
      d.verdict.status === 'refused' ? 'rejected' : d.verdict.status === 'needs_approval' ? 'awaiting_approval' : outcome.outcome === 'auto' ? 'approved' : 'proposed';
    cte(
      `a as (insert into actions (id, store_id, conversation_id, message_id, action_type, order_number, customer_email, action_data, status, idempotency_key, error_message)
       values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?) on conflict (store_id, idempotency_key) do update set status = excluded.status)`,
      [
        actionId,
        store.id,
        conversation.id,
        assistantMessageId,
        d.action.type,
        d.action.orderNumber,
        conversation.customer_email,
        JSON.stringify(d.action),
        status,
        `action:${input.turnKey}`,
        d.verdict.status === 'refused' ? d.verdict.reason : null,
      ],
    );
  }
  const ledger = outcome.outcome === 'auto' && replyText && input.replyTarget;
  if (ledger) {
    // The key performOnce would record: `reply:<turn>` (deliver.ts). A conflict leaves it to performOnce.
    cte(
      `w as (insert into external_writes (store_id, idempotency_key, target, operation, attempts) values (?, ?, ?, 'reply', 1)
       on conflict (store_id, idempotency_key) do nothing returning id)`,
      [store.id, `reply:${input.turnKey}`, input.replyTarget!],
    );
  }
  const citations = (state.context?.passages ?? []).map((p) => ({ chunkId: p.chunkId, documentTitle: p.documentTitle, heading: p.heading, excerpt: p.content.slice(0, 240) }));
  // The statement's text varies only with which parts a turn has (a handful of shapes): prepared.
  const res = await prepared<{ id: string; reply_write_id?: string | null }>(
    db,
    `with ${ctes.join(',\n')}
     insert into decision_traces (store_id, conversation_id, message_id, inbound_event_id, turn_key, engine, outcome, intent, confidence,
       nodes, citations, total_tokens, cost_usd, latency_ms, delivery)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?::jsonb) returning id${ledger ? ', (select id from w) as reply_write_id' : ''}`,
    [
      ...bindings,
      store.id,
      conversation.id,
      assistantMessageId,
      input.inboundEventId,
      input.turnKey,
      state.engine,
      outcome.outcome,
      u.intent,
      u.confidence,
      JSON.stringify(state.trace),
      JSON.stringify(citations),
      tokens,
      cost,
      input.latencyMs,
      JSON.stringify(plan),
    ],
  );
  const trace = res.rows[0]!;
  return {
    conversationId: conversation.id,
    userMessageId: input.userMessageId,
    assistantMessageId,
    traceId: trace.id,
    intent: u.intent,
    confidence: u.confidence,
    plan,
    replyWriteId: trace.reply_write_id ?? null,
  };
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
