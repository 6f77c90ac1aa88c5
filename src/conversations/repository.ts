import type { Knex } from 'knex';
import type { GatheredContext } from '../pipeline/types.js';
import { prepared } from '../db/prepared.js';

export type ConversationRow = {
  id: string;
  store_id: string;
  channel: string;
  external_id: string | null;
  status: string;
  customer_email: string | null;
  order_number: string | null;
  primary_intent: string | null;
  subject: string | null;
  metadata: Record<string, unknown>;
};

/**
 * The conversation for a channel thread, created on first contact. Concurrent first messages of
 * one thread race on the unique (store, channel, external_id) index; the loser reads the winner's row.
 */
export async function findOrCreateConversation(
  db: Knex,
  input: NewConversation,
): Promise<ConversationRow> {
  if (input.externalId) {
    const existing = await db('conversations').where({ store_id: input.storeId, channel: input.channel, external_id: input.externalId }).first();
    if (existing) return existing;
  }
  return (await createConversation(db, input)).conversation;
}

export type NewConversation = {
  storeId: string;
  channel: string;
  externalId: string | null;
  customerEmail: string | null;
  subject?: string | null;
};

/**
 * Inserts the thread's conversation, linked to the store's customer with that email (looked up in
 * the same statement). `created` is false when a concurrent first message won the race: then the
 * winner's row is returned.
 */
export async function createConversation(
  db: Knex,
  input: NewConversation,
): Promise<{ conversation: ConversationRow; created: boolean }> {
  const email = input.customerEmail?.toLowerCase() ?? null;
  const inserted = await db('conversations')
    .insert({
      store_id: input.storeId,
      channel: input.channel,
      external_id: input.externalId,
      customer_email: email,
      customer_id: email
        ? db.raw('(select id from customers where store_id = ? and email = ? limit 1)', [input.storeId, email])
        : null,
      subject: input.subject ?? null,
    })
    .onConflict(db.raw('(store_id, channel, external_id) where external_id is not null'))
    .ignore()
    .returning('*');
  if (inserted[0]) return { conversation: inserted[0], created: true };
  const existing = await db('conversations').where({ store_id: input.storeId, channel: input.channel, external_id: input.externalId }).first();
  return { conversation: existing, created: false };
}

/**
 * A new thread's conversation and its first customer message in one statement (the common case:
 * a new ticket). Null when the conversation already exists (a concurrent first message won):
 * then the caller reads it and adds the message as usual.
 */
export async function startConversation(
  db: Knex,
  thread: NewConversation,
  first: { content: string; externalId: string; metadata: Record<string, unknown> },
): Promise<{ conversation: ConversationRow; messageId: string } | null> {
  const email = thread.customerEmail?.toLowerCase() ?? null;
  const res = await prepared<{ conversation: ConversationRow; message_id: string }>(
    db,
    `with c as (
       insert into conversations (store_id, channel, external_id, customer_email, customer_id, subject)
       values (?, ?, ?, ?, (select id from customers where store_id = ? and email = ? limit 1), ?)
       on conflict (store_id, channel, external_id) where external_id is not null do nothing
       returning *
     ), m as (
       insert into messages (store_id, conversation_id, role, content, external_id, metadata)
       select ?, c.id, 'user', ?, ?, ?::jsonb from c
       returning id
     )
     select row_to_json(c) as conversation, (select id from m) as message_id from c`,
    [
      thread.storeId,
      thread.channel,
      thread.externalId,
      email,
      thread.storeId,
      email,
      thread.subject ?? null,
      thread.storeId,
      first.content,
      first.externalId,
      JSON.stringify(first.metadata),
    ],
  );
  const row = res.rows[0];
  return row ? { conversation: row.conversation, messageId: row.message_id } : null;
}

/**
 * A helpdesk/email thread's conversation (null before the first message) and the automatic public
 * replies the bot sent in it over the last 24 h (the per-thread cap), in one query.
 */
export async function findThread(
  db: Knex,
  input: { storeId: string; channel: string; externalId: string },
): Promise<{ conversation: ConversationRow | null; autoRepliesToday: number; coveredMessageIds: Set<string> }> {
  type Row = ConversationRow & { auto_replies_today: number; covered: string[] | null };
  // covered: the helpdesk message ids the thread's last 50 turns answered (each customer message,
  // and the earlier messages of its burst). Only turns that were recorded: a customer message left
  // by an attempt that crashed before its turn was recorded has not been answered.
  const res = await prepared<Row>(
    db,
    `select c.*, (select count(*) from messages m where m.conversation_id = c.id and m.role = 'assistant'
         and m.delivery = 'public' and m.status = 'sent' and m.created_at > now() - interval '24 hours')::int as auto_replies_today,
       (select array_agg(ids.id) from (select m.external_id, m.metadata from messages m
           where m.conversation_id = c.id and m.role = 'user'
             and exists (select 1 from decision_traces t where t.store_id = c.store_id and t.turn_key = m.metadata->>'turnKey')
           order by m.created_at desc limit 50) r,
         lateral (select r.external_id as id union all select jsonb_array_elements_text(coalesce(r.metadata->'covers', '[]'::jsonb))) ids
         where ids.id is not null) as covered
       from conversations c where c.store_id = ? and c.channel = ? and c.external_id = ? limit 1`,
    [input.storeId, input.channel, input.externalId],
  );
  const row = res.rows[0];
  if (!row) return { conversation: null, autoRepliesToday: 0, coveredMessageIds: new Set() };
  const { auto_replies_today: n, covered, ...conversation } = row as Row;
  return { conversation, autoRepliesToday: Number(n), coveredMessageIds: new Set(covered ?? []) };
}

export async function getConversation(db: Knex, storeId: string, id: string): Promise<ConversationRow | null> {
  return (await db('conversations').where({ store_id: storeId, id }).first()) ?? null;
}

/** Earlier messages (customer, bot replies actually sent, human agents), oldest first. */
export async function loadHistory(db: Knex, conversationId: string, excludeId?: string, limit = 20): Promise<GatheredContext['history']> {
  const rows = await db('messages')
    .where({ conversation_id: conversationId })
    .modify((q) => {
      if (excludeId) q.whereNot({ id: excludeId });
    })
    .whereIn('role', ['user', 'assistant', 'agent'])
    .whereNot({ status: 'rejected' })
    .orderBy('created_at', 'desc')
    .limit(limit)
    .select('role', 'content', 'intent', 'confidence', 'delivery', 'status');
  type Row = { role: 'user' | 'assistant' | 'agent'; content: string; intent: string | null; confidence: number | null; delivery: string | null; status: string };
  return (rows as Row[])
    .reverse()
    // A draft nobody sent was not an attempt the customer saw.
    .filter((r: Row) => r.role !== 'assistant' || (r.delivery === 'public' && r.status === 'sent'))
    .map((r: Row) => ({ role: r.role, content: r.content, intent: r.intent, confidence: r.confidence }));
}

export type NewMessage = {
  storeId: string;
  conversationId: string;
  role: 'user' | 'assistant' | 'agent' | 'system';
  content: string;
  externalId?: string | null;
  delivery?: 'public' | 'draft' | 'internal' | null;
  status?: 'sent' | 'pending_approval' | 'rejected' | 'failed' | 'pending';
  intent?: string | null;
  confidence?: number | null;
  sentiment?: string | null;
  language?: string | null;
  entities?: unknown;
  tokensUsed?: number;
  latencyMs?: number;
  metadata?: Record<string, unknown>;
};

/** Inserts a message; a message with the same external id in the conversation is returned instead. */
export async function addMessage(db: Knex, m: NewMessage): Promise<{ id: string; created: boolean }> {
  const row = {
    store_id: m.storeId,
    conversation_id: m.conversationId,
    role: m.role,
    content: m.content,
    external_id: m.externalId ?? null,
    delivery: m.delivery ?? null,
    status: m.status ?? 'sent',
    intent: m.intent ?? null,
    confidence: m.confidence ?? null,
    sentiment: m.sentiment ?? null,
    language: m.language ?? null,
    entities: JSON.stringify(m.entities ?? {}),
    tokens_used: m.tokensUsed ?? 0,
    latency_ms: Math.round(m.latencyMs ?? 0),
    metadata: JSON.stringify(m.metadata ?? {}),
  };
  if (!m.externalId) {
    const [r] = await db('messages').insert(row).returning('id');
    return { id: r.id, created: true };
  }
  const inserted = await db('messages')
    .insert(row)
    .onConflict(db.raw('(conversation_id, external_id) where external_id is not null'))
    .ignore()
    .returning('id');
  if (inserted[0]) return { id: inserted[0].id, created: true };
  const existing = await db('messages').where({ conversation_id: m.conversationId, external_id: m.externalId }).first('id');
  return { id: existing.id, created: false };
}
