import { describe, expect, it } from 'vitest';
import type { Ticket, TicketMessage } from '../../../connectors/types.js';
import { burstOf } from '../../../src/delivery/burst.js';
import { guard } from '../../../src/delivery/guard.js';
import { parseSettings } from '../../../src/domain/settings.js';
import type { InboundMessageEvent } from '../../../src/domain/events.js';
import type { Store } from '../../../src/store/stores.js';

const at = (s: number) => new Date(Date.UTC(2026, 10, 22, 10, 0, s)).toISOString();
const customer = (id: string, body: string, s: number): TicketMessage => ({ id, author: 'customer', authorId: 'c1', body, public: true, createdAt: at(s) });
const bot = (id: string, s: number): TicketMessage => ({ id, author: 'bot', authorId: 'b1', body: 'Your order has shipped.', public: true, createdAt: at(s) });
const agent = (id: string, s: number, isPublic = true): TicketMessage => ({ id, author: 'agent', authorId: 'a1', body: 'On it', public: isPublic, createdAt: at(s) });
const ticket = (messages: TicketMessage[]): Ticket => ({
  id: 't1', status: 'open', subject: 'Order', requester: { id: 'c1', email: 'c@example.com', name: 'C' }, assigneeId: null, tags: [], channel: 'email', messages,
});
const store = { id: 's1', status: 'active', settings: parseSettings({}) } as unknown as Store;
const event = (messageId: string, body: string): InboundMessageEvent =>
  ({ channel: 'zendesk', externalTicketId: 't1', externalMessageId: messageId, body, receivedAt: at(30) }) as unknown as InboundMessageEvent;

describe('burstOf: the customer messages one turn answers', () => {
  it('joins the unanswered messages before this one, oldest first', () => {
    const t = ticket([customer('1', 'Hi', 1), customer('2', 'my order is #W2611340', 2), customer('3', 'where is it??', 3)]);
    expect(burstOf(t, event('3', 'where is it??'), new Set())).toEqual({
      text: 'Hi\n\nmy order is #W2611340\n\nwhere is it??',
      covers: ['1', '2', '3'],
    });
  });

  it('stops at the last public reply and at a message an earlier turn answered', () => {
    const t = ticket([customer('1', 'Where is #W1?', 1), bot('b', 2), customer('3', 'And #W2?', 3), customer('4', 'thanks', 4)]);
    expect(burstOf(t, event('4', 'thanks'), new Set()).covers).toEqual(['3', '4']);
    expect(burstOf(t, event('4', 'thanks'), new Set(['3'])).covers).toEqual(['4']);
  });

  it('skips private notes but not the customer messages around them', () => {
    const t = ticket([customer('1', 'Hi', 1), agent('n', 2, false), customer('3', 'cancel #W2', 3)]);
    expect(burstOf(t, event('3', 'cancel #W2'), new Set()).text).toBe('Hi\n\ncancel #W2');
  });

  it('is just this message when the delivery does not say which one it is', () => {
    const t = ticket([customer('1', 'Hi', 1), customer('2', 'Where is it', 2)]);
    expect(burstOf(t, event('', 'Where is it'), new Set())).toEqual({ text: 'Where is it', covers: [] });
  });
});

describe('guard on a burst-aware channel', () => {
  const run = (t: Ticket, e: InboundMessageEvent, covered?: Set<string>) => guard({ store, event: e, ticket: t, autoRepliesToday: 0, covered });

  it('leaves a message to the newer customer message that will answer both', () => {
    const t = ticket([customer('1', 'Hi', 1), customer('2', 'Where is #W2611340?', 2)]);
    expect(run(t, event('1', 'Hi'), new Set())).toEqual({ ok: false, reason: 'superseded' });
    expect(run(t, event('2', 'Where is #W2611340?'), new Set())).toEqual({ ok: true });
  });

  it('answers a message that arrived while the bot was answering the one before it', () => {
    // 2 came in after the job for 1 read the ticket, and before its reply went out.
    const t = ticket([customer('1', 'Where is #W1?', 1), customer('2', 'Also, can I return #W2?', 2), bot('b', 3)]);
    expect(run(t, event('2', 'Also, can I return #W2?'), new Set(['1']))).toEqual({ ok: true });
  });

  it('still never answers a message twice', () => {
    const t = ticket([customer('1', 'Where is #W1?', 1), bot('b', 2)]);
    expect(run(t, event('1', 'Where is #W1?'), new Set(['1']))).toEqual({ ok: false, reason: 'bot_already_replied' });
    // Without coverage (email, API), any later bot reply counts, as before.
    expect(run(t, event('1', 'Where is #W1?'))).toEqual({ ok: false, reason: 'bot_already_replied' });
  });

  it('a human reply still wins over everything', () => {
    const t = ticket([customer('1', 'Hi', 1), agent('a', 2), customer('3', 'hello?', 3)]);
    expect(run(t, event('1', 'Hi'), new Set())).toEqual({ ok: false, reason: 'human_replied' });
  });
});
