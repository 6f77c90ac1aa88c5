import type { Order } from '../../domain/order.js';
import type { ReplyFacts } from '../respond/facts.js';
import type { CheckResult, Decision } from '../types.js';

const ORDER_NO = /#?\bW\d{7}\b|#\d{3,}\b/g;
const MONEY = /(?:[$€£]\s?\d[\d,]*(?:\.\d{1,2})?)|(?:\b\d[\d,]*(?:\.\d{1,2})?\s?(?:USD|EUR|GBP|dollars?)\b)/gi;
const LONG_ID = /\b(?=[A-Z0-9]*\d)[A-Z0-9]{10,}\b/g;
const DATE = /\b\d{4}-\d{2}-\d{2}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?\b/gi;

/** Claims that an action happened, by action type. */
const PROMISES: { type: NonNullable<Decision['action']>['type']; re: RegExp }[] = [
  { type: 'cancel_order', re: /\b(i|we)(’|')?ve (cancel+ed|canceled)|\b(i|we) have (cancel+ed|canceled)|has been (cancel+ed|canceled)|j’ai annulé|he cancelado|habe .* storniert/i },
  { type: 'refund', re: /\b(i|we)(’|')?ve (issued|processed|sent) (a |the |your )?refund|has been refunded|\brefund (has been|was) (issued|processed)/i },
  { type: 'address_change', re: /\b(i|we)(’|')?ve (updated|changed) the (shipping )?address|address (has been|was) (updated|changed)/i },
  { type: 'return_request', re: /\b(i|we)(’|')?ve (opened|started|created) a return|return (has been|was) (opened|created)/i },
];

const norm = (s: string) => s.replace(/[\s,]/g, '').replace(/^#/, '').toLowerCase();
const moneyValue = (s: string) => Number(s.replace(/[^\d.]/g, ''));

function orderFacts(o: Order): string[] {
  return [
    o.orderNumber,
    String(o.totalPrice),
    ...o.trackingNumbers,
    ...o.lineItems.flatMap((li) => [li.name, String(li.price)]),
    o.placedAt ?? '',
  ];
}

/**
 * DESIGN step 6: the reply may state only order numbers, amounts, dates, tracking numbers and policy
 * facts present in the context, and may announce only the action the decision allows.
 */
export function checkGrounding(reply: string, facts: ReplyFacts): CheckResult {
  const problems: string[] = [];
  const orders = [facts.order, ...facts.candidates].filter((o): o is Order => Boolean(o));
  const source = [
    facts.customerMessage,
    ...orders.flatMap(orderFacts),
    ...facts.passages.map((p) => p.content),
    ...facts.products.flatMap((p) => [p.name, String(p.minPrice ?? ''), String(p.maxPrice ?? '')]),
    String(facts.decision.action?.amount ?? ''),
    facts.settings.signature,
  ].join('\n');
  const sourceNorm = norm(source);
  const amounts = new Set<number>([
    ...orders.flatMap((o) => [o.totalPrice, ...o.lineItems.map((li) => li.price)]),
    ...facts.products.flatMap((p) => [p.minPrice ?? 0, p.maxPrice ?? 0]),
    ...(facts.decision.action?.amount !== undefined ? [facts.decision.action.amount] : []),
    ...[...source.matchAll(MONEY)].map((m) => moneyValue(m[0])),
  ].map((n) => Math.round(n * 100)));

  for (const m of reply.matchAll(ORDER_NO)) if (!sourceNorm.includes(norm(m[0]))) problems.push(`order number ${m[0]} is not in the context`);
  for (const m of reply.matchAll(MONEY)) if (!amounts.has(Math.round(moneyValue(m[0]) * 100))) problems.push(`amount ${m[0]} is not in the context`);
  for (const m of reply.matchAll(LONG_ID)) if (!sourceNorm.includes(norm(m[0]))) problems.push(`identifier ${m[0]} is not in the context`);
  for (const m of reply.matchAll(DATE)) if (!source.toLowerCase().includes(m[0].toLowerCase())) problems.push(`date ${m[0]} is not in the context`);

  const allowed = facts.decision.verdict?.status === 'allowed' ? facts.decision.action?.type : undefined;
  for (const p of PROMISES) {
    if (p.re.test(reply) && p.type !== allowed) problems.push(`the reply announces a ${p.type} that is not being done`);
  }
  return problems.length ? { ok: false, problems } : { ok: true };
}
