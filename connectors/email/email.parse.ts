import { simpleParser, type AddressObject } from 'mailparser';
import type { InboundMessageEvent } from '../../src/domain/events.js';
import { sha256Hex } from '../../src/security/crypto.js';
import { headersFromLines, messageIdList, normalizeMessageId } from './email.headers.js';
import { stripQuotedText } from './email.strip.js';
import type { EmailAddress, EmailSource, InboundEmail } from './email.types.js';

function addresses(value: AddressObject | AddressObject[] | undefined): EmailAddress[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list
    .flatMap((a) => a.value)
    .filter((a) => a.address && a.address.includes('@'))
    .map((a) => ({ address: a.address!.toLowerCase(), name: a.name || null }));
}

/** A raw RFC 5322 message (IMAP source, Mailgun body-mime, SendGrid raw) → InboundEmail. */
export async function parseRawEmail(raw: Buffer | string): Promise<InboundEmail> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const date = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : null;
  return {
    messageId: normalizeMessageId(parsed.messageId),
    inReplyTo: normalizeMessageId(parsed.inReplyTo),
    references: messageIdList(parsed.references),
    subject: parsed.subject ?? null,
    from: addresses(parsed.from)[0] ?? null,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    date,
    headers: headersFromLines(parsed.headerLines),
    // mailparser renders the HTML as text when there is no text part.
    text: parsed.text ?? '',
    providerStrippedText: null,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? null,
      contentType: a.contentType,
      size: a.size,
    })),
    contentHash: sha256Hex(raw),
  };
}

/**
 * The key a message is recorded under in inbound_events: its Message-ID, so the same mail read by
 * IMAP twice, or by IMAP and a webhook, is one event; the content hash when it has none.
 */
export function emailIdempotencyKey(email: InboundEmail): string {
  return email.messageId ? `email:${email.messageId}` : `email:sha256:${email.contentHash}`;
}

/** What the customer wrote now: the provider's stripped text when given, else our own stripping. */
export function customerText(email: InboundEmail): string {
  const base = email.providerStrippedText?.trim() ? email.providerStrippedText : email.text;
  return stripQuotedText(base);
}

/** The meta carried on the domain event, read back by the connector when it replies. */
export type EmailEventMeta = {
  source: EmailSource;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string | null;
  from: string | null;
  to: string[];
  /** The Date header as the sender claimed it; receivedAt is when it reached us. */
  date: string | null;
  attachments: InboundEmail['attachments'];
};

/** InboundEmail + its thread root → the domain event stored in inbound_events.payload. */
export function toInboundEvent(
  email: InboundEmail,
  threadRoot: string,
  source: EmailSource,
  receivedAt: Date = new Date(),
): InboundMessageEvent {
  const meta: EmailEventMeta = {
    source,
    messageId: email.messageId,
    inReplyTo: email.inReplyTo,
    references: email.references,
    subject: email.subject,
    from: email.from?.address ?? null,
    to: [...email.to, ...email.cc].map((a) => a.address),
    date: email.date,
    attachments: email.attachments,
  };
  return {
    kind: 'customer_message',
    channel: 'email',
    externalTicketId: threadRoot,
    externalMessageId: email.messageId ?? `<sha256.${email.contentHash.slice(0, 32)}@hsb.invalid>`,
    customerEmail: email.from?.address ?? null,
    customerName: email.from?.name ?? null,
    subject: email.subject,
    body: customerText(email),
    receivedAt: receivedAt.toISOString(),
    meta,
  };
}
