import type { Knex } from 'knex';
import type { Ticket, TicketMessage } from '../../connectors/types.js';
import type { InboundMessageEvent } from '../domain/events.js';
import { positionOf } from './burst.js';

/**
 * Channels whose ticket is the helpdesk's record, where a newer message is known from the ticket
 * and its job from its own webhook. Email's "ticket" lists only mail already recorded
 * (connectors/email/email.ticket.ts), so a newer mail there always has its job.
 */
const WEBHOOK_CHANNELS = new Set(['zendesk', 'gorgias']);

/** While waiting, the job looks again this often: the newer message's job settles it sooner. */
const RECHECK_MS = 15_000;

/**
 * What becomes of a customer message that a newer one superseded (guard.ts). The newer message's
 * own job answers both: its burst includes this one. That job comes from the newer message's
 * webhook, and when the helpdesk never delivers it (a delivery it gave up on, a trigger that did
 * not fire) nobody would answer the customer. So:
 * - a newer message has its event recorded: its job answers both (`superseded`, as before);
 * - none has, and the newest was written less than `waitMs` ago: its webhook may be on its way
 *   (`wait`, then decide again);
 * - none has after that: this job takes the newest message (claimNewest) and answers through it
 *   (`adopt`). Should the newer message's webhook come after all, intake finds it answered.
 */
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
  // Without the time it was written there is no telling when its webhook is overdue.
  if (Number.isNaN(written)) return { kind: 'superseded' };
  const due = written + input.waitMs;
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
  input: { storeId: string; source: string; key: string; messageId: string | null | undefined; candidates: TicketMessage[]; inboundEventId: string },
): Promise<Set<string> | null> {
  const prefix = keyPrefix(input.key, input.messageId);
  if (prefix === null) return null;
  if (input.candidates.length === 0) return new Set();
  const rows: { idempotency_key: string }[] = await db('inbound_events')
    .where({ store_id: input.storeId, source: input.source })
    .whereIn('idempotency_key', input.candidates.map((m) => prefix + m.id))
    // A message this event already took (a retry of its job, see claimNewest) is still its own.
    .whereRaw(`(payload->>'answeredBy') is distinct from ?`, [input.inboundEventId])
    .select('idempotency_key');
  return new Set(rows.map((r) => r.idempotency_key.slice(prefix.length)));
}

/** The part of an event's key before its message id, or null when the key does not end with it. */
function keyPrefix(key: string, messageId: string | null | undefined): string | null {
  if (!messageId || !key.endsWith(`:${messageId}`)) return null;
  return key.slice(0, key.length - messageId.length);
}

/**
 * Before this turn answers the newest message (`adopt`), takes it: records the event its webhook
 * would have made, already finished (skipped, `answered_with_earlier`), under the key that webhook
 * gets. A webhook that comes after all then finds its event done at intake and enqueues nothing.
 * One recorded in the meantime holds the key, and its job answers both: false, this message is
 * superseded after all. The row names the event that took it (`answeredBy`), so a retry of this
 * job finds its own claim and answers.
 */
export async function claimNewest(
  db: Knex,
  input: { storeId: string; source: string; key: string; eventType: string; event: InboundMessageEvent; newest: TicketMessage; inboundEventId: string },
): Promise<boolean> {
  const prefix = keyPrefix(input.key, input.event.externalMessageId);
  if (prefix === null) return false;
  const payload = { ...input.event, externalMessageId: input.newest.id, body: input.newest.body, receivedAt: input.newest.createdAt, answeredBy: input.inboundEventId };
  const res = await db.raw(
    `insert into inbound_events (store_id, source, idempotency_key, event_type, payload, status, skip_reason, processed_at)
     values (?, ?, ?, ?, ?::jsonb, 'skipped', 'answered_with_earlier', now())
     on conflict (store_id, source, idempotency_key) do update set processed_at = inbound_events.processed_at
       where inbound_events.payload->>'answeredBy' = ?
     returning id`,
    [input.storeId, input.source, prefix + input.newest.id, input.eventType, JSON.stringify(payload), input.inboundEventId],
  );
  return (res as { rows: unknown[] }).rows.length > 0;
}

/** afterSuperseded for an event, with the recorded newer messages read from the database. */
export async function whenSuperseded(
  db: Knex,
  input: {
    storeId: string;
    channel: string;
    source: string;
    key: string;
    ticket: Ticket;
    externalMessageId: string | null | undefined;
    inboundEventId: string;
    nowMs: number;
    waitMs: number;
  },
): Promise<AfterSuperseded> {
  if (!WEBHOOK_CHANNELS.has(input.channel)) return { kind: 'superseded' };
  const later = laterCustomerMessages(input.ticket, input.externalMessageId);
  const recorded = await messagesWithEvents(db, { ...input, messageId: input.externalMessageId, candidates: later });
  return afterSuperseded({ later, recorded, nowMs: input.nowMs, waitMs: input.waitMs });
}
