import type { Knex } from 'knex';
import { bareAddress } from './email.headers.js';

/**
 * Loop and noise prevention (RFC 3834 practice plus the usual heuristics): mail that a machine
 * sent, or that would make us answer ourselves, a list or a bounce, is never answered.
 */
export type IgnoreReason =
  | 'no_sender'
  | 'own_address'
  | 'own_message'
  | 'auto_submitted'
  | 'auto_reply_header'
  | 'auto_response_suppress'
  | 'precedence'
  | 'mailing_list'
  | 'null_return_path'
  | 'delivery_report'
  | 'system_sender'
  | 'vacation_mailer'
  | 'sender_daily_cap';

export type GuardResult = { ignore: true; reason: IgnoreReason } | { ignore: false };

/** Local parts of senders that are machines: bounces, list software, no-reply robots. */
const SYSTEM_LOCAL_PARTS: RegExp[] = [
  /^mailer-daemon$/,
  /^postmaster$/,
  /^listserv$/,
  /^majordomo$/,
  /^mailman$/,
  /-request$/,
  /^owner-/,
  /-owner$/,
  /^(no[-_.]?reply|do[-_.]?not[-_.]?reply)([-_.+].*)?$/,
  /^bounces?([-_.+].*)?$/,
];

/** Exchange's X-Auto-Response-Suppress values that ask not to be auto-answered. */
const SUPPRESS_VALUES = new Set(['all', 'autoreply', 'oof']);

function isSystemSender(address: string): boolean {
  const local = address.split('@')[0] ?? '';
  return SYSTEM_LOCAL_PARTS.some((re) => re.test(local));
}

/** Header checks in order; the first that matches is the reason. `headers` keys are lower-case. */
export function shouldIgnore(
  headers: Record<string, string>,
  from: string | null | undefined,
  storeAddresses: string[],
): GuardResult {
  const h = (name: string) => headers[name]?.trim();
  const sender = (from ?? '').trim().toLowerCase();
  if (!sender || !sender.includes('@')) return { ignore: true, reason: 'no_sender' };
  if (storeAddresses.some((a) => a.toLowerCase() === sender)) {
    return { ignore: true, reason: 'own_address' };
  }
  // Our own replies carry X-HSB-Key; one coming back (a copy, a forward to the mailbox) is ours.
  if (h('x-hsb-key')) return { ignore: true, reason: 'own_message' };

  const autoSubmitted = h('auto-submitted')?.split(';')[0]?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return { ignore: true, reason: 'auto_submitted' };
  if (['x-autoreply', 'x-autorespond', 'x-autoresponder'].some((n) => h(n) !== undefined)) {
    return { ignore: true, reason: 'auto_reply_header' };
  }
  const suppress = (h('x-auto-response-suppress') ?? '').split(/[,\s]+/).map((v) => v.toLowerCase());
  if (suppress.some((v) => SUPPRESS_VALUES.has(v))) {
    return { ignore: true, reason: 'auto_response_suppress' };
  }
  const precedence = h('precedence')?.toLowerCase();
  if (precedence && ['bulk', 'list', 'junk', 'auto_reply'].includes(precedence)) {
    return { ignore: true, reason: 'precedence' };
  }
  if (h('list-id') !== undefined || h('list-unsubscribe') !== undefined) {
    return { ignore: true, reason: 'mailing_list' };
  }
  const returnPath = h('return-path');
  if (returnPath !== undefined && bareAddress(returnPath) === '') {
    return { ignore: true, reason: 'null_return_path' };
  }
  const contentType = h('content-type')?.toLowerCase() ?? '';
  if (contentType.startsWith('multipart/report') || h('x-failed-recipients') !== undefined) {
    return { ignore: true, reason: 'delivery_report' };
  }
  if (isSystemSender(sender)) return { ignore: true, reason: 'system_sender' };
  if (/vacation/i.test(h('x-mailer') ?? '')) return { ignore: true, reason: 'vacation_mailer' };
  return { ignore: false };
}

/**
 * At most `max` messages from one sender are processed per 24 hours, so at most `max` automatic
 * replies go to any address a day, whatever a misbehaving robot sends. Counts recorded events
 * (redeliveries are one row), so it needs nothing but the database.
 */
export async function checkSenderCap(
  db: Knex,
  storeId: string,
  sender: string,
  max: number,
  now: Date = new Date(),
): Promise<{ allowed: boolean; count: number }> {
  const since = new Date(now.getTime() - 24 * 3600 * 1000);
  const row = await db('inbound_events')
    .where({ store_id: storeId, source: 'email' })
    .andWhere('received_at', '>', since)
    .andWhereRaw("payload->>'customerEmail' = ?", [sender.trim().toLowerCase()])
    .count<{ count: string | number }[]>({ count: '*' })
    .first();
  const count = Number(row?.count ?? 0);
  return { allowed: count < max, count };
}
