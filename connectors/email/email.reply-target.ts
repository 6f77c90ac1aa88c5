import type { Knex } from 'knex';
import { PermanentError } from '../../src/errors.js';
import type { TicketRef } from '../types.js';
import type { EmailEventMeta } from './email.parse.js';

/** Who a reply goes to and which message it answers. */
export type ReplyTarget = {
  to: string;
  subject: string | null;
  parentMessageId: string | null;
  parentReferences: string[];
  parentInReplyTo: string | null;
  threadRoot: string;
};

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/**
 * From the event's meta when the pipeline passes it (the message being answered), else from our
 * tables (an approval long after: the conversation's latest customer message). The reply always
 * goes to the From address the ownership checks used, never to a Reply-To.
 */
export async function resolveReplyTarget(db: Knex, storeId: string, ref: TicketRef): Promise<ReplyTarget> {
  const meta = (ref.meta ?? {}) as Partial<EmailEventMeta>;
  const from = str(meta.from);
  if (from) {
    return {
      to: from,
      subject: str(meta.subject),
      parentMessageId: str(meta.messageId),
      parentReferences: Array.isArray(meta.references)
        ? meta.references.filter((r): r is string => typeof r === 'string')
        : [],
      parentInReplyTo: str(meta.inReplyTo),
      threadRoot: ref.externalTicketId,
    };
  }
  const conv = await db('conversations')
    .where({ store_id: storeId, channel: 'email', external_id: ref.externalTicketId })
    .first('id', 'customer_email', 'subject');
  if (!conv?.customer_email) throw new PermanentError('email: no recipient known for this thread');
  const last = await db('messages')
    .where({ conversation_id: conv.id, role: 'user' })
    .whereNotNull('external_id')
    .orderBy('created_at', 'desc')
    .first('external_id');
  return {
    to: conv.customer_email,
    subject: conv.subject ?? null,
    parentMessageId: last?.external_id ?? ref.externalTicketId,
    parentReferences: [],
    parentInReplyTo: null,
    threadRoot: ref.externalTicketId,
  };
}
