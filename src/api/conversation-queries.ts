import type { Knex } from 'knex';
import type { z } from 'zod';
import { badRequest } from '../errors.js';
import type { conversationDetailSchema, conversationListSchema, listConversationsQuery } from './schemas/conversations.js';
import { iso, isoOrNull, json, num } from './row-values.js';

type ListQuery = z.infer<typeof listConversationsQuery>;
type ConversationList = z.infer<typeof conversationListSchema>;
type ConversationDetail = z.infer<typeof conversationDetailSchema>;

/** Keyset cursor: the last row's (created_at with microseconds, id), opaque to clients. */
function encodeCursor(ts: string, id: string): string {
  return Buffer.from(JSON.stringify([ts, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && /^[0-9a-f-]{36}$/i.test(v[1]) && !Number.isNaN(Date.parse(v[0]))) {
      return [v[0], v[1]];
    }
  } catch {
    // fall through
  }
  throw badRequest('invalid cursor');
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Newest first, keyset-paginated on (created_at, id); every filter is scoped to the store. */
export async function listConversations(db: Knex, storeId: string, q: ListQuery): Promise<ConversationList> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Row = Record<string, any>;
  const rows: Row[] = await db('conversations as c')
    .where('c.store_id', storeId)
    .modify((qb) => {
      if (q.status) qb.where('c.status', q.status);
      if (q.intent) qb.where('c.primary_intent', q.intent);
      if (q.sentiment) qb.where('c.sentiment', q.sentiment);
      if (q.channel) qb.where('c.channel', q.channel);
      if (q.outcome) qb.where('lt.outcome', q.outcome);
      if (q.q) {
        const like = `%${escapeLike(q.q)}%`;
        qb.where((w) =>
          w
            .where('c.order_number', 'ilike', like)
            .orWhereExists((e) => e.select(db.raw('1')).from('messages as sm').whereRaw('sm.conversation_id = c.id').andWhere('sm.content', 'ilike', like)),
        );
      }
      if (q.cursor) {
        const [ts, id] = decodeCursor(q.cursor);
        qb.whereRaw('(c.created_at, c.id) < (?::timestamptz, ?::uuid)', [ts, id]);
      }
    })
    .joinRaw(
      `left join lateral (select m.role, m.content, m.created_at from messages m where m.conversation_id = c.id
         order by m.created_at desc, (m.role = 'user') asc, m.id desc limit 1) lm on true`,
    )
    .joinRaw('left join lateral (select t.outcome from decision_traces t where t.conversation_id = c.id order by t.created_at desc, t.id desc limit 1) lt on true')
    .orderBy([
      { column: 'c.created_at', order: 'desc' },
      { column: 'c.id', order: 'desc' },
    ])
    .limit(q.limit + 1)
    .select(
      'c.id',
      'c.channel',
      'c.status',
      'c.primary_intent',
      'c.sentiment',
      'c.priority',
      'c.customer_email',
      'c.order_number',
      'c.created_at',
      'c.updated_at',
      db.raw(`to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_ts`),
      db.raw('lm.role as last_role'),
      db.raw('left(lm.content, 300) as last_content'),
      db.raw('lm.created_at as last_created_at'),
      db.raw('lt.outcome as last_outcome'),
    );
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    data: page.map((r: Row) => ({
      id: r.id,
      channel: r.channel,
      status: r.status,
      primary_intent: r.primary_intent ?? null,
      sentiment: r.sentiment ?? null,
      priority: r.priority,
      customer_email: r.customer_email ?? null,
      order_number: r.order_number ?? null,
      created_at: iso(r.created_at),
      updated_at: iso(r.updated_at),
      last_message: r.last_role ? { role: r.last_role, content: r.last_content, created_at: iso(r.last_created_at) } : null,
      last_outcome: r.last_outcome ?? null,
    })),
    next_cursor: rows.length > q.limit && last ? encodeCursor(last.cursor_ts, last.id) : null,
  };
}

/** One conversation of the store with its messages, decision traces and actions; null if not this store's. */
export async function getConversationDetail(db: Knex, storeId: string, id: string): Promise<ConversationDetail | null> {
  const c = await db('conversations').where({ store_id: storeId, id }).first();
  if (!c) return null;
  const [messages, traces, actions] = await Promise.all([
    db('messages')
      .where({ store_id: storeId, conversation_id: id })
      .orderByRaw("created_at, (role = 'user') desc, id")
      .select('id', 'role', 'content', 'delivery', 'status', 'intent', 'confidence', 'sentiment', 'language', 'created_at'),
    db('decision_traces')
      .where({ store_id: storeId, conversation_id: id })
      .orderBy([{ column: 'created_at' }, { column: 'id' }])
      .select('id', 'message_id', 'engine', 'outcome', 'intent', 'confidence', 'nodes', 'citations', 'total_tokens', 'cost_usd', 'latency_ms', 'created_at'),
    db('actions')
      .where({ store_id: storeId, conversation_id: id })
      .orderBy([{ column: 'created_at' }, { column: 'id' }])
      .select('id', 'action_type', 'order_number', 'status', 'action_data', 'result', 'error_message', 'created_at', 'completed_at'),
  ]);
  return {
    id: c.id,
    status: c.status,
    channel: c.channel,
    customer_email: c.customer_email ?? null,
    primary_intent: c.primary_intent ?? null,
    sentiment: c.sentiment ?? null,
    priority: c.priority,
    order_number: c.order_number ?? null,
    resolution_summary: c.resolution_summary ?? null,
    csat_score: num(c.csat_score),
    created_at: iso(c.created_at),
    updated_at: iso(c.updated_at),
    resolved_at: isoOrNull(c.resolved_at),
    messages: messages.map((m) => ({ ...m, confidence: num(m.confidence), created_at: iso(m.created_at) })),
    traces: traces.map((t) => ({
      ...t,
      nodes: (json(t.nodes) as unknown[]) ?? [],
      citations: (json(t.citations) as unknown[]) ?? [],
      confidence: num(t.confidence),
      total_tokens: Number(t.total_tokens),
      cost_usd: Number(t.cost_usd),
      latency_ms: Number(t.latency_ms),
      created_at: iso(t.created_at),
    })),
    actions: actions.map((a) => ({
      ...a,
      action_data: (json(a.action_data) as Record<string, unknown>) ?? {},
      result: json(a.result) ?? null,
      error_message: a.error_message ?? null,
      order_number: a.order_number ?? null,
      created_at: iso(a.created_at),
      completed_at: isoOrNull(a.completed_at),
    })),
  };
}
