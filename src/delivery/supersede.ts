import type { Knex } from 'knex';
import type { Ticket, TicketMessage } from '../../connectors/types.js';
import { positionOf } from './burst.js';

/**
 * What becomes of a customer message that a newer one superseded (guard.ts). The newer message's
 * own job answers both: its burst includes this one. That job comes from the newer message's
 * webhook, and when the helpdesk never delivers it (a delivery it gave up on, a trigger that did
 * not fire) nobody would answer the customer. So:
 * - a newer message has its event recorded: its job answers both (`superseded`, as before);
 * - none has, and the newest was written less than `waitMs` ago: its webhook may be on its way
 *   (`wait`, then decide again);
 * - none has after that: this job answers through the newest message (`adopt`). Should the
 *   newer message's webhook come after all, its job finds the message answered and skips it.
 */
/**
 * Channels whose ticket is the helpdesk's record, where a newer message is known from the ticket
 * and its job from its own webhook. Email's "ticket" lists only mail already recorded
 * (connectors/email/email.ticket.ts), so a newer mail there always has its job.
 */
const WEBHOOK_CHANNELS = new Set(['zendesk', 'gorgias']);

/** While waiting, the job looks again this often: the newer message's job settles it sooner. */
const RECHECK_MS = 15_000;

export type AfterSuperseded =
  | { kind: 'superseded' }
  | { kind: 'wait'; delayMs: number; messageId: string }
  | { kind: 'adopt'; newest: TicketMessage };

export function afterSuperseded(input: {
  /** The customer's public messages after this one, oldest first. */
  later: TicketMessage[];
  /** Those of them whose webhook was recorded; null when that cannot be told. */
  recorded: ReadonlySet<string> | null;
  nowMs: number;
  waitMs: number;
}): AfterSuperseded {
  const { later, recorded } = input;
  if (!recorded || later.length === 0 || later.some((m) => recorded.has(m.id))) return { kind: 'superseded' };
  const newest = later.at(-1)!;
  const written = Date.parse(newest.createdAt);
  const due = (Number.isNaN(written) ? input.nowMs : written) + input.waitMs;
  if (input.nowMs < due) return { kind: 'wait', delayMs: Math.min(due - input.nowMs, RECHECK_MS), messageId: newest.id };
  return { kind: 'adopt', newest };
}

/** The customer's public messages after this event's message, oldest first ([] when it is not in the ticket). */
export function laterCustomerMessages(ticket: Ticket, externalMessageId: string | null | undefined): TicketMessage[] {
  const at = positionOf(ticket, externalMessageId);
  if (at < 0) return [];
  return ticket.messages.slice(at + 1).filter((m) => m.author === 'customer' && m.public);
}

/**
 * Which of these messages have an event recorded, found under the key their webhook gets: this
 * event's key with its message id swapped (`zendesk:<account>:<ticket>:<comment>`, and so on), an
 * index lookup. Null when this event's key does not end with its message id: then it cannot be told.
 */
export async function messagesWithEvents(
  db: Knex,
  input: { storeId: string; source: string; key: string; messageId: string | null | undefined; candidates: TicketMessage[] },
): Promise<Set<string> | null> {
  const { key, messageId } = input;
  if (!messageId || !key.endsWith(`:${messageId}`)) return null;
  const prefix = key.slice(0, key.length - messageId.length);
  if (input.candidates.length === 0) return new Set();
  const rows: { idempotency_key: string }[] = await db('inbound_events')
    .where({ store_id: input.storeId, source: input.source })
    .whereIn('idempotency_key', input.candidates.map((m) => prefix + m.id))
    .select('idempotency_key');
  return new Set(rows.map((r) => r.idempotency_key.slice(prefix.length)));
}

/** afterSuperseded for an event, with the recorded newer messages read from the database. */
export async function whenSuperseded(
  db: Knex,
  input: { storeId: string; channel: string; source: string; key: string; ticket: Ticket; externalMessageId: string | null | undefined; nowMs: number; waitMs: number },
): Promise<AfterSuperseded> {
  if (!WEBHOOK_CHANNELS.has(input.channel)) return { kind: 'superseded' };
  const later = laterCustomerMessages(input.ticket, input.externalMessageId);
  const recorded = await messagesWithEvents(db, { ...input, messageId: input.externalMessageId, candidates: later });
  return afterSuperseded({ later, recorded, nowMs: input.nowMs, waitMs: input.waitMs });
}
