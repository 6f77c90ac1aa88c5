import { describe, expect, it } from 'vitest';
import type { Ticket, TicketMessage } from '../../../connectors/types.js';
import { afterSuperseded, laterCustomerMessages } from '../../../src/delivery/supersede.js';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const msg = (id: string, author: TicketMessage['author'], s: number, isPublic = true): TicketMessage => ({ id, author, authorId: author, body: `m${id}`, public: isPublic, createdAt: at(s) });
const ticket = (messages: TicketMessage[]): Ticket => ({
  id: 't1', status: 'open', subject: 'Order', requester: { id: 'c', email: 'c@example.com', name: 'C' }, assigneeId: null, tags: [], channel: 'email', messages,
});
const WAIT = 120_000;

describe('a message a newer one superseded: left to it, waited for, or answered by this turn', () => {
  const later = [msg('2', 'customer', 10), msg('3', 'customer', 20)];

  it('is left to the newer message when any newer message has its event recorded', () => {
    expect(afterSuperseded({ later, recorded: new Set(['2']), nowMs: T0 + 3600_000, waitMs: WAIT })).toEqual({ kind: 'superseded' });
  });

  it('waits for the newest message\'s webhook until it is `waitMs` old, looking again every 15 s', () => {
    expect(afterSuperseded({ later, recorded: new Set(), nowMs: T0 + 30_000, waitMs: WAIT })).toEqual({ kind: 'wait', delayMs: 15_000, messageId: '3' });
    expect(afterSuperseded({ later, recorded: new Set(), nowMs: T0 + 135_000, waitMs: WAIT })).toEqual({ kind: 'wait', delayMs: 5_000, messageId: '3' });
  });

  it('answers through the newest message once its webhook is overdue', () => {
    expect(afterSuperseded({ later, recorded: new Set(), nowMs: T0 + 140_000, waitMs: WAIT })).toEqual({ kind: 'adopt', newest: later[1] });
  });

  it('is left to the newer message, as before, when it cannot be told whether its webhook came', () => {
    expect(afterSuperseded({ later, recorded: null, nowMs: T0 + 3600_000, waitMs: WAIT })).toEqual({ kind: 'superseded' });
    expect(afterSuperseded({ later: [], recorded: new Set(), nowMs: T0 + 3600_000, waitMs: WAIT })).toEqual({ kind: 'superseded' });
    // No time written on the newest message: it could never be overdue, so no endless wait.
    const undated = [{ ...later[1]!, createdAt: 'unknown' }];
    expect(afterSuperseded({ later: undated, recorded: new Set(), nowMs: T0 + 3600_000, waitMs: WAIT })).toEqual({ kind: 'superseded' });
  });

  it('counts only the customer\'s public messages after this one', () => {
    const t = ticket([msg('1', 'customer', 0), msg('n', 'agent', 5, false), msg('2', 'customer', 10), msg('b', 'bot', 15), msg('3', 'customer', 20)]);
    expect(laterCustomerMessages(t, '1').map((m) => m.id)).toEqual(['2', '3']);
    expect(laterCustomerMessages(t, 'missing')).toEqual([]);
  });
});
