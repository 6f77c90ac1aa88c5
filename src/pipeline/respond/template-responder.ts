import type { Order } from '../../domain/order.js';
import type { Responder } from '../ports.js';
import type { DraftReply } from '../types.js';
import type { ReplyFacts } from './facts.js';
import { isThanks } from '../nodes/decide.js';
import { hasLanguage, phrasesFor } from './phrases.js';
import type { Phrases } from './phrases-en.js';

const money = (amount: number | undefined, currency: string) =>
  amount === undefined ? null : currency === 'USD' ? `$${amount.toFixed(2)}` : `${amount.toFixed(2)} ${currency}`;

/**
 * The local engine's writer: a reply per plan and order state, in the customer's language when a
 * translation exists (else the store's default), filled only from the facts.
 */
export function createTemplateResponder(): Responder {
  return {
    name: 'templates',
    async respond(facts: ReplyFacts): Promise<DraftReply> {
      const lang = hasLanguage(facts.language) ? facts.language : facts.settings.default_language;
      const { phrases: p, language } = phrasesFor(lang);
      const body = bodyFor(facts, p);
      const empathetic = facts.sentiment === 'negative' || facts.sentiment === 'frustrated';
      const parts = [p.greeting(facts.customerName), '', ...(empathetic && facts.plan !== 'handoff' ? [p.sorry] : []), body];
      if (!['handoff', 'integration_error', 'acknowledge'].includes(facts.plan)) parts.push('', p.closing);
      parts.push('', facts.settings.signature);
      return { text: parts.join('\n').replace(/\n{3,}/g, '\n\n').trim(), language, author: `template:${facts.plan}`, tokens: 0, costUsd: 0 };
    },
  };
}

function statusLines(order: Order, p: Phrases): string {
  const lines = [p.status[order.state](order.orderNumber)];
  if ((order.state === 'in_transit' || order.state === 'fulfilled' || order.state === 'delivered') && order.trackingNumbers.length) {
    const carrier = order.fulfillments.find((f) => f.carrier)?.carrier ?? null;
    lines.push(p.tracking(order.trackingNumbers.join(', '), carrier));
  }
  if (order.lineItems.length) lines.push(p.items(order.lineItems.map((li) => li.name).join(', ')));
  return lines.join(' ');
}

function bodyFor(f: ReplyFacts, p: Phrases): string {
  const order = f.order;
  const action = f.decision.action;
  const n = order?.orderNumber ?? action?.orderNumber ?? '';
  const currency = order?.currency ?? 'USD';
  switch (f.plan) {
    case 'order_status':
      return order ? statusLines(order, p) : p.askOrderNumber;
    case 'order_list':
      return p.orderList(f.candidates.map((o) => `- ${o.orderNumber}: ${p.status[o.state](o.orderNumber)}`).join('\n'));
    case 'ask_order_number':
      return p.askOrderNumber;
    case 'ask_email':
      return p.askEmail;
    case 'verify_identity':
      return p.verifyIdentity;
    case 'order_not_found':
      return p.orderNotFound;
    case 'integration_error':
      return p.integrationError;
    case 'ask_address':
      return p.askAddress(n);
    case 'action_done': {
      if (!action) return p.acknowledge;
      const amount = money(action.amount, currency);
      switch (action.type) {
        case 'cancel_order':
          return p.done.cancel_order(n, amount);
        case 'refund':
          return p.done.refund(n, amount);
        case 'address_change': {
          const a = action.address;
          return p.done.address_change(n, a ? [a.address1, a.address2, a.city, [a.province, a.zip].filter(Boolean).join(' '), a.country].filter(Boolean).join(', ') : '');
        }
        case 'return_request': {
          const names = order?.lineItems.filter((li) => action.lineItemIds?.includes(li.id)).map((li) => li.name) ?? [];
          return p.done.return_request(n, names.join(', ') || n);
        }
      }
      return p.acknowledge;
    }
    case 'action_pending_approval': {
      if (!action) return p.acknowledge;
      if (action.type === 'refund') return p.pending.refund(n, money(action.amount, currency));
      return p.pending[action.type](n);
    }
    case 'action_refused':
      return refusal(f, p, n);
    case 'policy_answer': {
      const top = f.passages[0];
      // Several questions at once ("where is it, and how long do returns take?"): the order too.
      const status = order ? `${statusLines(order, p)}\n\n` : '';
      return top ? `${status}${p.policyIntro}\n\n${excerpt(top.content)}` : status || p.acknowledge;
    }
    case 'product_info':
      return f.products.map((prod) => productLines(prod, p, currency)).join('\n\n') || p.acknowledge;
    case 'handoff':
      return p.handoff;
    case 'acknowledge':
      // A thank-you needs no follow-up from the team. Judged on the text decide judged: a question
      // in the quoted history below a thank-you was not escalated, so no one will follow up.
      return isThanks(f.question) ? p.welcome : p.acknowledge;
  }
}

function productLines(prod: ReplyFacts['products'][number], p: Phrases, currency: string): string {
  if (prod.availableVariants === 0) return p.productNone(prod.name);
  const options = Object.entries(prod.options).map(([k, v]) => `- ${k}: ${v.join(', ')}`);
  const prices =
    prod.minPrice !== null && prod.maxPrice !== null ? [p.productPrices(money(prod.minPrice, currency)!, money(prod.maxPrice, currency)!)] : [];
  return [p.productIntro(prod.name), ...options, ...prices].join('\n');
}

function refusal(f: ReplyFacts, p: Phrases, n: string): string {
  const verdict = f.decision.verdict;
  const type = f.decision.action?.type;
  const code = verdict && verdict.status === 'refused' ? verdict.code : '';
  const state = f.order?.state;
  if (state === 'cancelled' || code === 'already_cancelled') return p.refused.already_cancelled(n);
  if (type === 'cancel_order' && (state === 'in_transit' || state === 'delivered' || state === 'fulfilled')) return p.refused.already_shipped_cancel(n);
  if (type === 'address_change' && (state === 'in_transit' || state === 'delivered' || state === 'fulfilled')) return p.refused.already_shipped_address(n);
  if ((type === 'return_request' || type === 'refund') && state !== 'delivered') return p.refused.not_delivered_return(n);
  return p.refused.generic(n);
}

/** The passage's first sentences, verbatim (so the grounding check finds every fact in it). */
function excerpt(text: string, max = 600): string {
  const clean = text.replace(/^\s*[-*]\s+/gm, '').replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const end = cut.lastIndexOf('. ');
  return end > 200 ? cut.slice(0, end + 1) : `${cut}…`;
}
