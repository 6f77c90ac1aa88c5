import type { Ticket, TicketMessage } from '../../connectors/types.js';

/**
 * Channels whose ticket shows every customer message, also one the bot has not seen yet: the
 * helpdesk's own record, or for email our conversation plus the thread's mail still waiting for
 * its turn (connectors/email/email.ticket.ts). API conversations answer each call on its own.
 */
export const BURST_CHANNELS = new Set(['zendesk', 'gorgias', 'email']);

/** At most this many earlier messages join a burst: a long silence-free run is still one turn. */
const MAX_EARLIER = 9;

export type Burst = {
  /** The customer's unanswered messages up to this one, oldest first, as one text. */
  text: string;
  /** Helpdesk ids of the messages the turn answers (this one last). */
  covers: string[];
};

/** Where this event's message sits in the ticket (-1: not found, e.g. a delivery without its id). */
export function positionOf(ticket: Ticket, externalMessageId: string | null | undefined): number {
  return externalMessageId ? ticket.messages.findIndex((m) => m.id === externalMessageId) : -1;
}

/**
 * Customers often write in bursts ("Hi", "order #W2611340", "where is it??"), and after a backlog
 * (an outage, a rate limit) several messages wait together. One turn answers them all: the
 * customer messages since the last public reply (agent or bot) that no earlier turn answered,
 * joined to this one. `covered`: helpdesk message ids earlier turns answered.
 */
export function burstOf(ticket: Ticket, event: { externalMessageId?: string | null; body: string }, covered: ReadonlySet<string>): Burst {
  const at = positionOf(ticket, event.externalMessageId);
  if (at < 0) return { text: event.body, covers: event.externalMessageId ? [event.externalMessageId] : [] };
  const earlier: TicketMessage[] = [];
  for (let i = at - 1; i >= 0 && earlier.length < MAX_EARLIER; i--) {
    const m = ticket.messages[i]!;
    if (m.public && (m.author === 'agent' || m.author === 'bot')) break;
    if (m.author !== 'customer' || !m.public) continue; // private notes, system events
    if (covered.has(m.id)) break;
    earlier.unshift(m);
  }
  const texts = [...earlier.map((m) => m.body), event.body].map((t) => t.trim()).filter(Boolean);
  return { text: texts.join('\n\n'), covers: [...earlier.map((m) => m.id), event.externalMessageId!] };
}
