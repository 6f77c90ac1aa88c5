import type { Knex } from 'knex';
import { PENDING_STATUSES } from '../../src/ingest/statuses.js';
import type { Ticket, TicketMessage, TicketRef } from '../types.js';

/**
 * Conversation status → ticket status. A customer's new mail reopens a resolved or abandoned
 * thread (as a helpdesk reopens a solved ticket on a new comment); only a closed one stays shut.
 */
const STATUS: Record<string, Ticket['status']> = {
  active: 'open',
  escalated: 'pending',
  resolved: 'open',
  abandoned: 'open',
  closed: 'closed',
};
const AUTHOR: Record<string, TicketMessage['author']> = {
  user: 'customer',
  assistant: 'bot',
  agent: 'agent',
  system: 'system',
};

/** How far back a thread's unanswered mail is looked for (older mail was answered or given up). */
const WAITING_DAYS = 7;
/** More unanswered mail than this in one thread is not a burst any more: the newest are kept. */
const MAX_WAITING = 20;

/**
 * An email thread as a helpdesk ticket. Email has no helpdesk behind it, so the ticket is our own
 * conversation and its messages, plus the thread's mail that no turn has recorded yet: mail whose
 * job is still waiting or running, and mail a newer message superseded (a burst, see
 * src/delivery/burst.ts). Without those, two emails sent in a row while the queue was busy would
 * each look like the only one, and get a reply each.
 *
 * Customer messages are placed by when they arrived, not when a job recorded them: after a
 * backlog the jobs run late and in any order, and the guard asks which message is the newest.
 */
export async function readEmailTicket(db: Knex, storeId: string, ref: TicketRef): Promise<Ticket> {
  const [conv, waiting] = await Promise.all([
    db('conversations')
      .where({ store_id: storeId, channel: 'email', external_id: ref.externalTicketId })
      .first('id', 'status', 'subject', 'customer_email', 'assigned_agent'),
    waitingMail(db, storeId, ref.externalTicketId),
  ]);
  const recorded = conv ? await recordedMessages(db, conv.id) : [];
  const seen = new Set(recorded.map((m) => m.id));
  const messages = [...recorded, ...waiting.filter((m) => !seen.has(m.id))]
    .map((m, i) => ({ m, i, at: Date.parse(m.createdAt) }))
    // Stable: equal times keep the recorded order.
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map(({ m }) => m);
  const meta = (ref.meta ?? {}) as Record<string, unknown>;
  if (!conv) {
    // The thread's first message: the pipeline has not created the conversation yet.
    return {
      id: ref.externalTicketId,
      status: 'new',
      subject: typeof meta.subject === 'string' ? meta.subject : null,
      requester: { id: null, email: typeof meta.from === 'string' ? meta.from : null, name: null },
      assigneeId: null,
      tags: [],
      channel: 'email',
      messages,
    };
  }
  return {
    id: ref.externalTicketId,
    status: STATUS[conv.status] ?? 'open',
    subject: conv.subject ?? null,
    requester: { id: null, email: conv.customer_email ?? null, name: null },
    // An escalated thread belongs to the team it was forwarded to: the bot stays out of it.
    assigneeId: conv.assigned_agent ?? (conv.status === 'escalated' ? 'email-team' : null),
    tags: [],
    channel: 'email',
    messages,
  };
}

async function recordedMessages(db: Knex, conversationId: string): Promise<TicketMessage[]> {
  const rows = await db('messages')
    .where({ conversation_id: conversationId })
    .whereNot({ status: 'rejected' })
    .orderBy('created_at', 'asc')
    .select('id', 'role', 'content', 'external_id', 'delivery', 'status', 'created_at', db.raw("metadata->>'receivedAt' as received_at"));
  return rows.map((m) => ({
    id: m.external_id ?? m.id,
    author: AUTHOR[m.role] ?? 'system',
    authorId: null,
    body: m.content,
    // Drafts and internal notes never reached the customer.
    public: m.role === 'user' || (m.delivery === 'public' && m.status === 'sent'),
    createdAt: new Date(m.role === 'user' && m.received_at ? m.received_at : m.created_at).toISOString(),
  }));
}

/** The thread's mail no turn has recorded: waiting or running, or superseded by a newer one. */
async function waitingMail(db: Knex, storeId: string, threadRoot: string): Promise<TicketMessage[]> {
  const rows = await db('inbound_events')
    .where({ store_id: storeId, source: 'email' })
    .whereRaw("payload->>'externalTicketId' = ?", [threadRoot])
    .whereRaw(`received_at > now() - interval '${WAITING_DAYS} days'`)
    .where((q) => q.whereIn('status', PENDING_STATUSES).orWhere({ status: 'skipped', skip_reason: 'superseded' }))
    .orderBy('received_at', 'desc')
    .limit(MAX_WAITING)
    .select(db.raw("payload->>'externalMessageId' as id, payload->>'body' as body, payload->>'receivedAt' as received_at, received_at as recorded_at"));
  return rows
    .reverse() // oldest first, so that mail with the same arrival time keeps its order
    .filter((r) => r.id)
    .map((r) => ({
      id: r.id,
      author: 'customer' as const,
      authorId: null,
      body: r.body ?? '',
      public: true,
      createdAt: new Date(r.received_at ?? r.recorded_at).toISOString(),
    }));
}
