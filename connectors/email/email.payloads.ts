import { z } from 'zod';
import { sha256Hex } from '../../src/security/crypto.js';
import { readForm, type FormData } from './email.form.js';
import {
  headerRecord,
  messageIdList,
  normalizeMessageId,
  parseAddressList,
  parseHeaderBlock,
} from './email.headers.js';
import { parseRawEmail } from './email.parse.js';
import type { AttachmentMeta, InboundEmail } from './email.types.js';
import type { EmailProvider } from './email.webhooks.js';
import { htmlToText } from '../text.js';

/**
 * Provider payloads → InboundEmail. Shapes follow the providers' documentation:
 * - Mailgun routes forward(): documentation.mailgun.com …/receive-forward-store/receive-http
 *   (fields `from`, `sender`, `subject`, `message-headers` JSON, `body-plain`, `stripped-text`,
 *   `attachment-N` files; a URL ending in "mime" gets `body-mime` instead).
 * - Postmark inbound webhook: postmarkapp.com/developer/webhooks/inbound-webhook (JSON; its
 *   `MessageID` is Postmark's own id, the mail's Message-ID is in `Headers`).
 * - SendGrid Inbound Parse: twilio.com/docs/sendgrid/for-developers/parsing-email/inbound-email
 *   (multipart: `headers` block, `from`, `to`, `subject`, `text`, `html`, `envelope`,
 *   `attachment-info`, files; with "send raw" the whole MIME in `email`).
 */

export class MalformedPayloadError extends Error {}

const dateIso = (value: string | undefined): string | null => {
  const t = value ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};


/** The envelope sender becomes Return-Path when the payload has none, so "<>" bounces are caught. */
function withReturnPath(
  headers: Record<string, string>,
  envelopeFrom: string | undefined,
): Record<string, string> {
  if (headers['return-path'] !== undefined || envelopeFrom === undefined) return headers;
  return { ...headers, 'return-path': `<${envelopeFrom.trim()}>` };
}

function fromFields(
  headers: Record<string, string>,
  f: { from?: string; to?: string; cc?: string; subject?: string; text: string; stripped: string | null },
  attachments: AttachmentMeta[],
  hashInput: string,
): InboundEmail {
  return {
    messageId: normalizeMessageId(headers['message-id']),
    inReplyTo: normalizeMessageId(headers['in-reply-to']),
    references: messageIdList(headers.references),
    subject: f.subject ?? headers.subject ?? null,
    from: parseAddressList(f.from ?? headers.from)[0] ?? null,
    to: parseAddressList(f.to ?? headers.to),
    cc: parseAddressList(f.cc ?? headers.cc),
    date: dateIso(headers.date),
    headers,
    text: f.text,
    providerStrippedText: f.stripped,
    attachments,
    contentHash: sha256Hex(hashInput),
  };
}

const fileMeta = (form: FormData, field: RegExp): AttachmentMeta[] =>
  form.files
    .filter((f) => field.test(f.field))
    .map((f) => ({ filename: f.filename, contentType: f.contentType, size: f.size }));

async function decodeMailgun(form: FormData): Promise<InboundEmail> {
  const g = (k: string) => form.fields.get(k);
  const mime = g('body-mime');
  if (mime) return parseRawEmail(mime);
  let pairs: [string, string][] = [];
  try {
    const parsed = JSON.parse(g('message-headers') ?? '[]') as unknown;
    if (Array.isArray(parsed)) {
      pairs = parsed.filter((p): p is [string, string] => Array.isArray(p) && p.length >= 2);
    }
  } catch {
    throw new MalformedPayloadError('message-headers is not JSON');
  }
  const headers = withReturnPath(headerRecord(pairs), g('sender'));
  if (!g('from') && !headers.from) throw new MalformedPayloadError('no sender');
  const text = g('body-plain') ?? '';
  return fromFields(
    headers,
    { from: g('from'), subject: g('subject'), text, stripped: g('stripped-text') ?? null },
    fileMeta(form, /^attachment-\d+$/),
    // Timestamp/token/signature change on every retry; the message itself does not.
    ['mailgun', g('from'), g('subject'), headers.date, text].join('\n'),
  );
}

const postmarkAddress = z.object({ Email: z.string(), Name: z.string().optional().nullable() });
const postmarkSchema = z.object({
  MessageID: z.string().optional(),
  From: z.string().optional(),
  FromFull: postmarkAddress.optional(),
  ToFull: z.array(postmarkAddress).optional(),
  CcFull: z.array(postmarkAddress).optional(),
  Subject: z.string().optional().nullable(),
  Date: z.string().optional(),
  TextBody: z.string().optional().nullable(),
  HtmlBody: z.string().optional().nullable(),
  StrippedTextReply: z.string().optional().nullable(),
  Headers: z.array(z.object({ Name: z.string(), Value: z.string() })).default([]),
  Attachments: z
    .array(
      z.object({
        Name: z.string().optional(),
        ContentType: z.string().optional(),
        ContentLength: z.number().optional(),
      }),
    )
    .default([]),
});

function decodePostmark(raw: Buffer): InboundEmail {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new MalformedPayloadError('body is not JSON');
  }
  const parsed = postmarkSchema.safeParse(json);
  if (!parsed.success) throw new MalformedPayloadError('not a Postmark inbound payload');
  const p = parsed.data;
  const sender = p.FromFull?.Email ?? p.From;
  if (!sender) throw new MalformedPayloadError('no sender');
  const headers = headerRecord(p.Headers.map((h) => [h.Name, h.Value] as [string, string]));
  const fmt = (a: { Email: string; Name?: string | null }) =>
    a.Name ? `"${a.Name}" <${a.Email}>` : a.Email;
  return {
    ...fromFields(
      { date: p.Date ?? '', ...headers },
      {
        from: p.FromFull ? fmt(p.FromFull) : sender,
        to: (p.ToFull ?? []).map(fmt).join(', '),
        cc: (p.CcFull ?? []).map(fmt).join(', '),
        subject: p.Subject ?? undefined,
        text: p.TextBody || htmlToText(p.HtmlBody ?? ''),
        stripped: p.StrippedTextReply || null,
      },
      p.Attachments.map((a) => ({
        filename: a.Name ?? null,
        contentType: a.ContentType ?? 'application/octet-stream',
        size: a.ContentLength ?? 0,
      })),
      // Postmark's MessageID is stable across its retries.
      p.MessageID ? `postmark:${p.MessageID}` : raw.toString('utf8'),
    ),
  };
}

async function decodeSendgrid(form: FormData, raw: Buffer): Promise<InboundEmail> {
  const g = (k: string) => form.fields.get(k);
  const mime = g('email');
  if (mime) return parseRawEmail(mime);
  let envelopeFrom: string | undefined;
  try {
    envelopeFrom = (JSON.parse(g('envelope') ?? '{}') as { from?: string }).from ?? undefined;
  } catch {
    envelopeFrom = undefined;
  }
  const headers = withReturnPath(parseHeaderBlock(g('headers') ?? ''), envelopeFrom);
  if (!g('from') && !headers.from) throw new MalformedPayloadError('no sender');
  let info: Record<string, { filename?: string; name?: string; type?: string }> = {};
  try {
    info = JSON.parse(g('attachment-info') ?? '{}') as typeof info;
  } catch {
    info = {};
  }
  const attachments = form.files
    .filter((f) => /^attachment\d+$/.test(f.field))
    .map((f) => ({
      filename: info[f.field]?.filename ?? f.filename,
      contentType: info[f.field]?.type ?? f.contentType,
      size: f.size,
    }));
  return fromFields(
    headers,
    {
      from: g('from'),
      to: g('to'),
      cc: g('cc'),
      subject: g('subject'),
      text: g('text') || htmlToText(g('html') ?? ''),
      stripped: null,
    },
    attachments,
    headers['message-id'] ? `sendgrid:${headers['message-id']}` : raw.toString('utf8'),
  );
}

/** Decodes a verified delivery. Throws MalformedPayloadError for a body that is not a usable email. */
export async function decodeEmailWebhook(
  provider: EmailProvider,
  body: Buffer,
  contentType: string | undefined,
): Promise<InboundEmail> {
  if (provider === 'postmark') return decodePostmark(body);
  let form: FormData;
  try {
    form = readForm(body, contentType);
  } catch (err) {
    throw new MalformedPayloadError((err as Error).message);
  }
  return provider === 'mailgun' ? decodeMailgun(form) : decodeSendgrid(form, body);
}
