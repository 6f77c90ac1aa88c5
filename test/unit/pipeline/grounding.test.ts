import { describe, expect, it } from 'vitest';
import { checkGrounding } from '../../../src/pipeline/check/grounding.js';
import type { ReplyFacts } from '../../../src/pipeline/respond/facts.js';
import type { Decision } from '../../../src/pipeline/types.js';
import { order, settings } from '../../helpers/pipeline-fixtures.js';

const decision = (over: Partial<Decision> = {}): Decision => ({
  ownership: 'verified',
  action: null,
  verdict: null,
  escalation: null,
  plan: 'order_status',
  notes: [],
  ...over,
});

const facts = (over: Partial<ReplyFacts> = {}): ReplyFacts => ({
  plan: 'order_status',
  decision: decision(),
  language: 'en',
  customerName: null,
  customerMessage: 'Where is my order #W1000001?',
  question: 'Where is my order #W1000001?',
  sentiment: 'neutral',
  intent: 'order_status',
  order: order({ state: 'in_transit', trackingNumbers: ['357962501027'] }),
  candidates: [],
  passages: [],
  products: [],
  settings: settings(),
  ...over,
});

describe('grounding check', () => {
  it('accepts a reply made only of facts in the context', () => {
    const reply = 'Your order #W1000001 has shipped. Tracking number: 357962501027. Total $120.00.';
    expect(checkGrounding(reply, facts())).toEqual({ ok: true });
  });

  it.each([
    ['an order number', 'Your order #W9999999 has shipped.', 'order number'],
    ['an amount', 'We refunded $75.00 to your card.', 'amount'],
    ['a tracking number', 'Tracking: 1Z999AA10123456784.', 'identifier'],
    ['a date', 'It will arrive on 2026-12-24.', 'date'],
  ])('rejects a reply that invents %s', (_what, reply, problem) => {
    const r = checkGrounding(reply, facts());
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.join(' ')).toContain(problem);
  });

  it('rejects a reply that announces a cancellation nobody performed', () => {
    const r = checkGrounding('I’ve cancelled your order #W1000001.', facts());
    expect(r.ok).toBe(false);
  });

  it('accepts the announcement when the decision allows that action', () => {
    const d = decision({ plan: 'action_done', action: { type: 'cancel_order', orderNumber: '#W1000001', amount: 120, reason: 'x' }, verdict: { status: 'allowed' } });
    expect(checkGrounding('I’ve cancelled your order #W1000001. A refund of $120.00 goes back to you.', facts({ decision: d }))).toEqual({ ok: true });
  });

  it('accepts policy facts quoted from a retrieved passage', () => {
    const passages = [{ chunkId: 'c', documentId: 'd', documentTitle: 'Policy', heading: 'Returns', headingPath: 'Policy > Returns', content: 'Returns are accepted within 30 days; a $5.00 fee applies.', score: 1, sources: ['fts' as const] }];
    expect(checkGrounding('Returns are accepted within 30 days; a $5.00 fee applies.', facts({ passages }))).toEqual({ ok: true });
  });
});
