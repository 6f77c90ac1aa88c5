import type { Knex } from 'knex';
import type { GatheredContext } from '../pipeline/types.js';

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
  input: { storeId: string; channel: string; externalId: string | null; customerEmail: string | null; subject?: string | null },
): Promise<ConversationRow> {
  if (input.externalId) {
    const existing = await db('conversations').where({ store_id: input.storeId, channel: input.channel, external_id: input.externalId }).first();
    if (existing) return existing;
  }
  const customer = input.customerEmail
    ? await db('customers').where({ store_id: input.storeId, email: input.customerEmail.toLowerCase() }).first('id')
    : null;
  const inserted = await db('conversations')
    .insert({
      store_id: input.storeId,
      channel: input.channel,
      external_id: input.externalId,
      customer_email: input.customerEmail?.toLowerCase() ?? null,
      customer_id: customer?.id ?? null,
      subject: input.subject ?? null,
    })
    .onConflict(db.raw('(store_id, channel, external_id) where external_id is not null'))
    .ignore()
    .returning('*');
  if (inserted[0]) return inserted[0];
  return db('conversations').where({ store_id: input.storeId, channel: input.channel, external_id: input.externalId }).first();
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
