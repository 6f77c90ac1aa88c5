import type { Ticket } from '../../connectors/types.js';
import type { InboundMessageEvent } from '../domain/events.js';
import type { Store } from '../store/stores.js';

export type GuardInput = {
  store: Store;
  event: InboundMessageEvent;
  /** The ticket re-read from the helpdesk at job time (null for API and email). */
  ticket: Ticket | null;
  /** Automatic public replies the bot already sent in this thread in the last 24 h. */
  autoRepliesToday: number;
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
    const idx = event.externalMessageId ? ticket.messages.findIndex((m) => m.id === event.externalMessageId) : -1;
    const received = Date.parse(event.receivedAt);
    const later = ticket.messages.filter((m, i) => (idx >= 0 ? i > idx : Date.parse(m.createdAt) > received));
    if (later.some((m) => m.author === 'agent')) return { ok: false, reason: 'human_replied' };
    if (later.some((m) => m.author === 'bot' && m.public)) return { ok: false, reason: 'bot_already_replied' };
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
