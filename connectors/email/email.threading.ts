import type { Knex } from 'knex';
import { PENDING_STATUSES } from '../../src/ingest/statuses.js';
import type { InboundEmail } from './email.types.js';

/**
 * Email threading. A conversation's external_id is its thread root Message-ID; our messages
 * (messages.external_id, email_outbound.message_id) and the customer's are matched by
 * In-Reply-To / References; the subject is a last resort, only for the same sender, recently.
 * Mail that arrived but whose turn has not run yet counts too: a customer who answers their own
 * email, or writes again with the same subject, before the bot replied is in the same thread
 * (and gets one reply for both, see connectors/email/email.ticket.ts).
 */

export const SUBJECT_FALLBACK_DAYS = 14;
/** Longest References we send: the root plus the most recent ids (RFC 5322 lets us trim the middle). */
const MAX_REFERENCES = 20;

const REPLY_PREFIX = /^\s*((re|fwd?|aw|wg|sv|vs|antw|r|rif|tr|odp|res)(\[\d+\]|\(\d+\))?\s*:\s*)+/i;

/** "Re: RE: Fwd: Where is my order" → "where is my order" (for comparing subjects). */
export function normalizeSubject(subject: string | null | undefined): string {
  return (subject ?? '').replace(REPLY_PREFIX, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** "Where is my order" / "RE: Where is my order" → "Re: Where is my order" (never "Re: Re:"). */
export function replySubject(subject: string | null | undefined): string {
  const base = (subject ?? '').replace(REPLY_PREFIX, '').replace(/\s+/g, ' ').trim();
  return base ? `Re: ${base}` : 'Re: your message';
}

/**
 * Headers of a reply to `parent` (RFC 5322 3.6.4): In-Reply-To = the parent's Message-ID;
 * References = the parent's References (or, lacking them, its In-Reply-To) + the parent's
 * Message-ID, with the thread root first and kept when trimming.
 */
export function buildReplyHeaders(parent: {
  messageId: string | null;
  references: string[];
  inReplyTo?: string | null;
  threadRoot?: string | null;
}): { inReplyTo: string | null; references: string[] } {
  let chain = [...parent.references];
  if (chain.length === 0 && parent.inReplyTo) chain = [parent.inReplyTo];
  if (parent.threadRoot && !chain.includes(parent.threadRoot)) chain.unshift(parent.threadRoot);
  if (parent.messageId) chain.push(parent.messageId);
  const unique = [...new Set(chain)];
  const references =
    unique.length > MAX_REFERENCES ? [unique[0]!, ...unique.slice(-(MAX_REFERENCES - 1))] : unique;
  return { inReplyTo: parent.messageId, references };
}

/** The root when nothing is known locally: first of References, else In-Reply-To, else itself. */
export function provisionalThreadRoot(email: InboundEmail): string {
  return (
    email.references[0] ??
    email.inReplyTo ??
    email.messageId ??
    `<sha256.${email.contentHash.slice(0, 32)}@hsb.invalid>`
  );
}

export type ThreadMatch = {
  threadRoot: string;
  conversationId: string | null;
  matchedBy: 'header' | 'subject' | 'new';
};

/** The conversation root a header id belongs to, looking at our tables. */
async function rootForIds(
  db: Knex,
  storeId: string,
  ids: string[],
): Promise<{ root: string; conversationId: string | null } | null> {
  if (ids.length === 0) return null;
  const conv = await db('conversations')
    .where({ store_id: storeId, channel: 'email' })
    .whereIn('external_id', ids)
    .orderBy('updated_at', 'desc')
    .first('id', 'external_id');
  if (conv) return { root: conv.external_id, conversationId: conv.id };
  const msg = await db('messages as m')
    .join('conversations as c', 'c.id', 'm.conversation_id')
    .where({ 'm.store_id': storeId, 'c.channel': 'email' })
    .whereIn('m.external_id', ids)
    .whereNotNull('c.external_id')
    .orderBy('m.created_at', 'desc')
    .first('c.id as id', 'c.external_id as external_id');
  if (msg) return { root: msg.external_id, conversationId: msg.id };
  const sent = await db('email_outbound')
    .where({ store_id: storeId })
    .whereIn('message_id', ids)
    .whereNotNull('thread_root')
    .orderBy('sent_at', 'desc')
    .first('thread_root');
  if (sent) return { root: sent.thread_root, conversationId: null };
  // The customer's own earlier mail, recorded but not answered yet (same key as emailIdempotencyKey).
  const waiting = await db('inbound_events')
    .where({ store_id: storeId, source: 'email' })
    .whereIn('idempotency_key', ids.map((id) => `email:${id}`))
    .orderBy('received_at', 'desc')
    .first(db.raw("payload->>'externalTicketId' as root"));
  if (waiting?.root) return { root: waiting.root, conversationId: null };
  return null;
}

/**
 * Finds the thread of an inbound email: 1. In-Reply-To, then References (newest first), against
 * conversations, messages and our sent mail; 2. the same sender's conversation with the same
 * subject in the last 14 days; 3. a new thread rooted at provisionalThreadRoot.
 */
export async function resolveThread(
  db: Knex,
  storeId: string,
  email: InboundEmail,
  now: Date = new Date(),
): Promise<ThreadMatch> {
  const newestFirst = [email.inReplyTo, ...[...email.references].reverse()];
  const ids = [...new Set(newestFirst.filter((v): v is string => !!v))];
  const byHeader = await rootForIds(db, storeId, ids);
  if (byHeader) {
    return { threadRoot: byHeader.root, conversationId: byHeader.conversationId, matchedBy: 'header' };
  }

  const subject = normalizeSubject(email.subject);
  if (subject && email.from) {
    const since = new Date(now.getTime() - SUBJECT_FALLBACK_DAYS * 24 * 3600 * 1000);
    const candidates = await db('conversations')
      .where({ store_id: storeId, channel: 'email', customer_email: email.from.address })
      .whereNotNull('external_id')
      .andWhere('updated_at', '>=', since)
      .orderBy('updated_at', 'desc')
      .limit(50)
      .select('id', 'external_id', 'subject');
    const hit = candidates.find((c) => normalizeSubject(c.subject) === subject);
    if (hit) return { threadRoot: hit.external_id, conversationId: hit.id, matchedBy: 'subject' };
    const waiting = await db('inbound_events')
      .where({ store_id: storeId, source: 'email' })
      .whereIn('status', PENDING_STATUSES)
      .andWhere('received_at', '>=', since)
      .whereRaw("lower(payload->>'customerEmail') = ?", [email.from.address.toLowerCase()])
      .orderBy('received_at', 'desc')
      .limit(20)
      .select(db.raw("payload->>'externalTicketId' as root, payload->>'subject' as subject"));
    const sameSubject = waiting.find((w) => w.root && normalizeSubject(w.subject) === subject);
    if (sameSubject) return { threadRoot: sameSubject.root, conversationId: null, matchedBy: 'subject' };
  }
  return { threadRoot: provisionalThreadRoot(email), conversationId: null, matchedBy: 'new' };
}
