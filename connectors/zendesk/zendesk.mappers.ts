/**
 * Zendesk payloads ↔ domain: webhook → ParsedWebhook, REST ticket + comments → Ticket, domain
 * writes → request bodies.
 */
import type {
  EscalationInput,
  ParsedWebhook,
  ReplyInput,
  Ticket,
  TicketMessage,
} from '../types.js';
import { sha256Hex } from '../../src/security/crypto.js';
import { escapeHtml, htmlToText, textToHtml } from '../text.js';
import {
  eventEnvelopeSchema,
  triggerBodySchema,
  type EventEnvelope,
  type TriggerBody,
  type ZendeskComment,
  type ZendeskTicketResponse,
  type ZendeskUser,
} from './zendesk.schemas.js';

export type ZendeskParseContext = {
  subdomain: string;
  botUserId?: string;
  now: Date;
  rawBody: Buffer;
};

const COMMENT_ADDED = 'zen:event-type:ticket.comment_added';

const ignored = (reason: string): ParsedWebhook => ({ kind: 'ignored', reason });

/**
 * Both webhook styles: the `zen:event-type:*` envelope (webhook subscribed to events) and a
 * trigger's JSON template. Throws (ZodError) when the body is neither.
 */
export function parseZendeskWebhook(body: unknown, ctx: ZendeskParseContext): ParsedWebhook {
  const type = body && typeof body === 'object' ? (body as { type?: unknown }).type : undefined;
  if (typeof type === 'string' && type.startsWith('zen:event-type:')) {
    return fromEvent(eventEnvelopeSchema.parse(body), ctx);
  }
  return fromTrigger(triggerBodySchema.parse(body), ctx);
}

function fromEvent(env: EventEnvelope, ctx: ZendeskParseContext): ParsedWebhook {
  if (env.type !== COMMENT_ADDED) return ignored(`event ${env.type} is not a new comment`);
  const c = env.event?.comment;
  if (!c) throw new Error('comment_added event without event.comment');
  const authorId = c.author?.id;
  if (c.is_public === false) return ignored('private comment (internal note)');
  if (ctx.botUserId && authorId === ctx.botUserId) return ignored('comment by the bot user');
  if (c.author?.is_staff === true) return ignored('comment by an agent');
  if (env.detail.requester_id && authorId && authorId !== env.detail.requester_id) {
    return ignored('comment by someone other than the requester');
  }
  const ticketId = env.detail.id;
  return {
    kind: 'message',
    idempotencyKey: `zendesk:${ctx.subdomain}:${ticketId}:${c.id}`,
    event: {
      kind: 'customer_message',
      channel: 'zendesk',
      externalTicketId: ticketId,
      externalMessageId: c.id,
      customerEmail: null, // not in the event envelope; the worker reads it from the ticket
      customerName: c.author?.name ?? null,
      subject: env.detail.subject ?? null,
      body: c.body ?? '',
      receivedAt: toIso(env.time) ?? ctx.now.toISOString(),
      meta: { requesterId: env.detail.requester_id ?? authorId ?? null, webhook: 'event' },
    },
  };
}

function fromTrigger(t: TriggerBody, ctx: ZendeskParseContext): ParsedWebhook {
  const authorId = t.comment_author_id ?? t.current_user_id;
  if (t.comment_public === false) return ignored('private comment (internal note)');
  const bot = ctx.botUserId;
  if (bot && (t.current_user_id === bot || t.comment_author_id === bot)) {
    return ignored('comment by the bot user');
  }
  // An agent's reply also fires "ticket is updated" triggers: only the requester's comments count.
  if (t.requester_id && authorId && authorId !== t.requester_id) {
    return ignored('comment by someone other than the requester (agent reply)');
  }
  return {
    kind: 'message',
    idempotencyKey: `zendesk:${ctx.subdomain}:${t.ticket_id}:${triggerMessageKey(t, ctx.rawBody)}`,
    event: {
      kind: 'customer_message',
      channel: 'zendesk',
      externalTicketId: t.ticket_id,
      externalMessageId: t.comment_id ?? null,
      customerEmail: t.requester_email ?? null,
      customerName: t.requester_name ?? null,
      subject: t.subject ?? null,
      body: t.latest_comment ?? '',
      receivedAt: toIso(t.comment_created_at) ?? toIso(t.updated_at) ?? ctx.now.toISOString(),
      meta: { requesterId: t.requester_id ?? null, via: t.via ?? null, webhook: 'trigger' },
    },
  };
}

/**
 * The comment id when the template sends one. Without it: the ticket's updated_at (each new
 * comment updates the ticket, and every redelivery of one trigger firing carries the same
 * rendered value), then the comment's creation time, and as a last resort a hash of the body
 * (redeliveries are byte-identical).
 */
function triggerMessageKey(t: TriggerBody, rawBody: Buffer): string {
  if (t.comment_id) return t.comment_id;
  const at = t.updated_at ?? t.comment_created_at;
  if (at) return `at-${at.trim().replace(/[^0-9A-Za-z:+.-]/g, '_')}`;
  return `body-${sha256Hex(rawBody).slice(0, 32)}`;
}

function toIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const STATUSES: readonly Ticket['status'][] = [
  'new',
  'open',
  'pending',
  'hold',
  'solved',
  'closed',
];

export function toTicket(
  res: ZendeskTicketResponse,
  comments: ZendeskComment[],
  users: ZendeskUser[],
  botUserId: string | undefined,
): Ticket {
  const t = res.ticket;
  const byId = new Map([...(res.users ?? []), ...users].map((u) => [u.id, u]));
  const requester = t.requester_id ? byId.get(t.requester_id) : undefined;
  const status = STATUSES.find((s) => s === (t.status ?? '').toLowerCase()) ?? 'open';
  return {
    id: t.id,
    status,
    subject: t.subject ?? null,
    requester: {
      id: t.requester_id ?? null,
      email: requester?.email ?? null,
      name: requester?.name ?? null,
    },
    assigneeId: t.assignee_id ?? null,
    tags: t.tags ?? [],
    channel: t.via?.channel ?? null,
    messages: comments.map((c) => toMessage(c, t.requester_id, byId, botUserId)),
  };
}

function toMessage(
  c: ZendeskComment,
  requesterId: string | undefined,
  users: Map<string, ZendeskUser>,
  botUserId: string | undefined,
): TicketMessage {
  const body = c.plain_body ?? c.body ?? htmlToText(c.html_body ?? '');
  return {
    id: c.id,
    author: authorRole(c, requesterId, users, botUserId),
    authorId: c.author_id ?? null,
    body,
    public: c.public ?? true,
    createdAt: c.created_at ?? '',
  };
}

function authorRole(
  c: ZendeskComment,
  requesterId: string | undefined,
  users: Map<string, ZendeskUser>,
  botUserId: string | undefined,
): TicketMessage['author'] {
  if (botUserId && c.author_id === botUserId) return 'bot';
  if ((c.html_body ?? '').includes(`${WRITE_MARKER_ATTR}=`)) return 'bot';
  if (!c.author_id || c.author_id === '-1') return 'system';
  const role = users.get(c.author_id)?.role;
  if (role === 'end-user') return 'customer';
  if (role === 'agent' || role === 'admin') return 'agent';
  return c.author_id === requesterId ? 'customer' : 'agent';
}

/**
 * The idempotency key rides along in the comment's HTML so `findWrite` can recognise our own
 * write after a crash. Whether Zendesk keeps data-* attributes in html_body is [U]; the key is
 * searched as a plain substring too.
 */
export const WRITE_MARKER_ATTR = 'data-hsb-key';

export function withWriteMarker(html: string, key: string): string {
  return `<div ${WRITE_MARKER_ATTR}="${escapeHtml(key)}">${html}</div>`;
}

export function hasWriteMarker(html: string | null | undefined, key: string): boolean {
  return Boolean(html && html.includes(`"${escapeHtml(key)}"`));
}

function comment(html: string, isPublic: boolean, key: string, botUserId: string | undefined) {
  return {
    html_body: withWriteMarker(html, key),
    public: isPublic,
    ...(botUserId ? { author_id: Number(botUserId) } : {}),
  };
}

/** PUT /api/v2/tickets/{id}.json body: comments are created through a ticket update. */
export function replyBody(reply: ReplyInput, key: string, botUserId: string | undefined) {
  const html = reply.bodyHtml ?? textToHtml(reply.body);
  return { ticket: { comment: comment(html, reply.visibility === 'public', key, botUserId) } };
}

const PRIORITY: Record<NonNullable<EscalationInput['priority']>, string> = {
  low: 'low',
  medium: 'normal',
  high: 'high',
  urgent: 'urgent',
};

/** One ticket update: assignee/group, priority and the private summary note together. */
export function escalationBody(to: EscalationInput, key: string, botUserId: string | undefined) {
  const groupId = to.groupId ?? to.teamId;
  return {
    ticket: {
      ...(to.assigneeId ? { assignee_id: Number(to.assigneeId) } : {}),
      ...(groupId ? { group_id: Number(groupId) } : {}),
      ...(to.priority ? { priority: PRIORITY[to.priority] } : {}),
      comment: comment(textToHtml(to.note), false, key, botUserId),
    },
  };
}
