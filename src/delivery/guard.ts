import type { Ticket } from '../../connectors/types.js';
import type { InboundMessageEvent } from '../domain/events.js';
import type { Store } from '../store/stores.js';
import { positionOf } from './burst.js';

export type GuardInput = {
  store: Store;
  event: InboundMessageEvent;
  /** The ticket re-read from the helpdesk at job time (null for API and email). */
  ticket: Ticket | null;
  /** Automatic public replies the bot already sent in this thread in the last 24 h. */
  autoRepliesToday: number;
  /**
   * Set on channels where turns answer bursts (see burst.ts): the helpdesk message ids earlier
   * turns answered. A newer customer message then supersedes this one, and a bot reply after this
   * message only counts as its answer if a turn answered it.
   */
  covered?: ReadonlySet<string>;
};

export type GuardResult = { ok: true } | { ok: false; reason: string };

/**
 * DESIGN step 2, re-checked when the job runs (not when the webhook arrived): a ticket that was
 * closed, answered or taken by a human in the meantime gets nothing from the bot.
 */
export function guard(input: GuardInput): GuardResult {
  const { store, event, ticket } = input;
  if (store.status !== 'active') return { ok: false, reason: 'store_inactive' };
  const channels = store.settings.channels as Record<string, boolean>;
  if (channels[event.channel] === false) return { ok: false, reason: 'channel_disabled' };
  if (!event.body.trim()) return { ok: false, reason: 'empty_message' };
  if (ticket) {
    if (ticket.status === 'closed' || ticket.status === 'solved') return { ok: false, reason: 'ticket_closed' };
    const idx = positionOf(ticket, event.externalMessageId);
    const received = Date.parse(event.receivedAt);
    const later = ticket.messages.filter((m, i) => (idx >= 0 ? i > idx : Date.parse(m.createdAt) > received));
    const { covered } = input;
    if (later.some((m) => m.author === 'agent')) return { ok: false, reason: 'human_replied' };
    // The newer message's own job answers both (its burst includes this one).
    // (Only a public message: the webhook triggers fire for those, so it has a job of its own.)
    if (covered && later.some((m) => m.author === 'customer' && m.public)) return { ok: false, reason: 'superseded' };
    // A later bot reply is this message's answer only if a turn answered it: one that went out
    // while this message waited (a burst, a backlog) did not.
    const answered = !covered || idx < 0 || covered.has(event.externalMessageId!);
    if (answered && later.some((m) => m.author === 'bot' && m.public)) return { ok: false, reason: 'bot_already_replied' };
    if (ticket.assigneeId && !isBot(ticket)) return { ok: false, reason: 'assigned_to_human' };
  }
  if (input.autoRepliesToday >= store.settings.max_auto_replies_per_thread_per_day) {
    return { ok: false, reason: 'reply_cap_reached' };
  }
  return { ok: true };
}

/** A ticket assigned to the bot user itself still belongs to the bot. */
function isBot(ticket: Ticket): boolean {
  return ticket.messages.some((m) => m.author === 'bot' && m.authorId !== null && m.authorId === ticket.assigneeId);
}
