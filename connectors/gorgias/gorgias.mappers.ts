/**
 * Gorgias payloads ↔ domain: webhook → ParsedWebhook, REST ticket + messages → Ticket, domain
 * writes → request bodies.
 */
import type {
  EscalationInput,
  ParsedWebhook,
  ReplyInput,
  Ticket,
  TicketMessage,
} from '../types.js';
import { htmlToText, textToHtml } from '../text.js';
import {
  webhookBodySchema,
  type GorgiasMessage,
  type GorgiasPerson,
  type GorgiasTicket,
} from './gorgias.schemas.js';

export type GorgiasParseContext = { account: string; botUserId?: string; now: Date };

export const INTERNAL_NOTE = 'internal-note';

const ignored = (reason: string): ParsedWebhook => ({ kind: 'ignored', reason });

/** Throws when the body has neither `message` nor `ticket` (integration form not "{{context}}"). */
export function parseGorgiasWebhook(body: unknown, ctx: GorgiasParseContext): ParsedWebhook {
  const b = webhookBodySchema.parse(body);
  if (b.message) return fromMessage(b.message, b.ticket ?? undefined, ctx);
  if (b.ticket) {
    // ticket-created: the message that opened it. Keyed by message id, so the same message
    // arriving again through ticket-message-created is a duplicate, not a second job.
    const latest = b.ticket.messages?.at(-1);
    if (!latest) return ignored('ticket-created without messages (ticket-message-created has it)');
    return fromMessage(latest, b.ticket, ctx);
  }
  throw new Error('no "message" nor "ticket" in the body: set the form to "{{context}}"');
}

function fromMessage(
  m: GorgiasMessage,
  ticket: GorgiasTicket | undefined,
  ctx: GorgiasParseContext,
): ParsedWebhook {
  if (m.channel === INTERNAL_NOTE) return ignored('internal note');
  if (ctx.botUserId && m.sender?.id === ctx.botUserId) return ignored('message by the bot user');
  if (m.from_agent === true) return ignored('message from an agent');
  if (m.public === false) return ignored('message is not public');
  const ticketId = m.ticket_id ?? ticket?.id;
  if (!ticketId) throw new Error('message without ticket_id');
  return {
    kind: 'message',
    idempotencyKey: `gorgias:${ctx.account}:${ticketId}:${m.id}`,
    event: {
      kind: 'customer_message',
      channel: 'gorgias',
      externalTicketId: ticketId,
      externalMessageId: m.id,
      customerEmail: m.sender?.email ?? ticket?.customer?.email ?? null,
      customerName: personName(m.sender) ?? personName(ticket?.customer) ?? null,
      subject: m.subject || ticket?.subject || null,
      body: messageText(m),
      receivedAt: toIso(m.created_datetime) ?? ctx.now.toISOString(),
      meta: {
        channel: m.channel ?? ticket?.channel ?? null,
        customerId: m.sender?.id ?? null,
        via: m.via ?? null,
      },
    },
  };
}

/** Reply-free text: Gorgias strips quoted history and signatures into stripped_text. */
export function messageText(m: GorgiasMessage): string {
  return m.stripped_text ?? m.body_text ?? htmlToText(m.stripped_html ?? m.body_html ?? '');
}

function personName(p: GorgiasPerson | null | undefined): string | undefined {
  if (!p) return undefined;
  const full = [p.firstname, p.lastname].filter(Boolean).join(' ').trim();
  return p.name || full || undefined;
}

function toIso(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export function toTicket(
  t: GorgiasTicket,
  messages: GorgiasMessage[],
  botUserId: string | undefined,
): Ticket {
  return {
    id: t.id,
    status: t.status === 'closed' ? 'closed' : 'open',
    subject: t.subject ?? null,
    requester: {
      id: t.customer?.id ?? null,
      email: t.customer?.email ?? null,
      name: personName(t.customer) ?? null,
    },
    assigneeId: t.assignee_user?.id ?? null,
    tags: (t.tags ?? []).map((tag) => tag.name),
    channel: t.channel ?? null,
    messages: messages.map((m) => toMessage(m, botUserId)),
  };
}

function authorRole(m: GorgiasMessage, botUserId: string | undefined): TicketMessage['author'] {
  if (botUserId && m.sender?.id === botUserId) return 'bot';
  if (!m.from_agent) return 'customer';
  return m.rule_id ? 'system' : 'agent';
}

function toMessage(m: GorgiasMessage, botUserId: string | undefined): TicketMessage {
  return {
    id: m.id,
    author: authorRole(m, botUserId),
    authorId: m.sender?.id ?? null,
    body: messageText(m),
    public: m.public ?? m.channel !== INTERNAL_NOTE,
    createdAt: m.created_datetime ?? '',
  };
}

/** Draft = internal note; `external_id` carries the idempotency key so findWrite can see it. */
export function draftBody(reply: ReplyInput, key: string, botUserId: string | undefined) {
  return noteBody(reply.body, reply.bodyHtml, key, botUserId);
}

export function noteBody(
  text: string,
  html: string | undefined,
  key: string,
  botUserId: string | undefined,
) {
  return {
    channel: INTERNAL_NOTE,
    via: 'api',
    from_agent: true,
    body_text: text,
    body_html: html ?? textToHtml(text),
    external_id: key,
    ...(botUserId ? { sender: { id: Number(botUserId) } } : {}),
  };
}

/**
 * Public reply on the ticket's channel: answers the customer's last message from the address
 * it was sent to (Pipedream send-public-reply shape: sender, receiver, source.from/to).
 */
export function publicReplyBody(
  reply: ReplyInput,
  key: string,
  loaded: { ticket: GorgiasTicket; messages: GorgiasMessage[] },
  botUserId: string | undefined,
) {
  const { ticket, messages } = loaded;
  const lastCustomer = messages.findLast((m) => !m.from_agent && m.channel !== INTERNAL_NOTE);
  const channel = lastCustomer?.channel ?? ticket.channel ?? 'email';
  const customerId = ticket.customer?.id ?? lastCustomer?.sender?.id;
  const src = lastCustomer?.source;
  const ours = src?.to?.[0];
  const subject = ticket.subject ?? lastCustomer?.subject;
  const source =
    src?.from && ours ? { type: src.type ?? channel, from: ours, to: [src.from] } : null;
  const reSubject = subject && (/^re:/i.test(subject) ? subject : `Re: ${subject}`);
  return {
    channel,
    via: 'api',
    from_agent: true,
    body_text: reply.body,
    body_html: reply.bodyHtml ?? textToHtml(reply.body),
    external_id: key,
    ...(botUserId ? { sender: { id: Number(botUserId) } } : {}),
    ...(customerId ? { receiver: { id: Number(customerId) } } : {}),
    ...(source ? { source } : {}),
    ...(channel === 'email' && reSubject ? { subject: reSubject } : {}),
  };
}

/** The ticket's tags plus ours, as Gorgias' `tags: [{name}]` (PUT replaces the list). */
export function mergedTags(ticket: GorgiasTicket, extra: string[]): { name: string }[] {
  const names = new Set((ticket.tags ?? []).map((t) => t.name));
  for (const t of extra) names.add(t);
  return [...names].map((name) => ({ name }));
}

/** low/normal/high as Gorgias shows them on tickets; `critical` for urgent is [U]. */
export const GORGIAS_PRIORITY: Record<NonNullable<EscalationInput['priority']>, string> = {
  low: 'low',
  medium: 'normal',
  high: 'high',
  urgent: 'critical',
};

export function escalationUpdateBody(
  to: EscalationInput,
  ticket: GorgiasTicket,
  withPriority: boolean,
) {
  const teamId = to.teamId ?? to.groupId;
  const extraTags = [...(to.tags ?? []), ...(to.priority ? [`priority:${to.priority}`] : [])];
  return {
    ...(to.assigneeId ? { assignee_user: { id: Number(to.assigneeId) } } : {}),
    ...(teamId ? { assignee_team: { id: Number(teamId) } } : {}),
    ...(withPriority && to.priority ? { priority: GORGIAS_PRIORITY[to.priority] } : {}),
    tags: mergedTags(ticket, extraTags),
  };
}
