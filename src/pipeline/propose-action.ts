import type { Intent } from '../domain/intents.js';
import type { Address, Order } from '../domain/order.js';
import type { Understanding } from '../nlu/types.js';
import { refundableAmount } from '../commerce/policy-limits.js';
import type { ProposedAction } from './types.js';

const round2 = (n: number) => Math.round(n * 100) / 100;


/** Line items the message names (by product name); all items when it names none. */
export function itemsMentioned(order: Order, u: Understanding): string[] {
  const names = u.entities.products.map((p) => p.toLowerCase());
  const hits = order.lineItems.filter((li) => names.some((n) => li.name.toLowerCase().includes(n) || n.includes(li.name.toLowerCase())));
  return (hits.length ? hits : order.lineItems).map((li) => li.id);
}

/**
 * The action an intent asks for on this order. Amounts are computed from the order: a sum the
 * customer writes ("refund me $900") is never used, so the message cannot widen a refund.
 */
export function proposeAction(intent: Intent, order: Order, u: Understanding, newAddress: Address | null): ProposedAction | null {
  switch (intent) {
    case 'cancel_order':
      return { type: 'cancel_order', orderNumber: order.orderNumber, amount: refundableAmount(order), reason: 'customer request' };
    case 'return_request': {
      const lineItemIds = itemsMentioned(order, u);
      const amount = round2(order.lineItems.filter((li) => lineItemIds.includes(li.id)).reduce((s, li) => s + li.price * li.quantity, 0));
      return { type: 'return_request', orderNumber: order.orderNumber, lineItemIds, amount, reason: 'customer request' };
    }
    case 'refund_request': {
      // Unshipped orders are refunded by cancelling them; delivered ones by a refund of the items named.
      if (order.state === 'pending' || order.state === 'paid') {
        return { type: 'cancel_order', orderNumber: order.orderNumber, amount: refundableAmount(order), reason: 'refund requested before shipment' };
      }
      // Not delivered yet: the money comes back through a return once it arrives (refused until then).
      if (order.state === 'in_transit' || order.state === 'fulfilled') {
        return { type: 'return_request', orderNumber: order.orderNumber, lineItemIds: itemsMentioned(order, u), reason: 'refund requested before delivery' };
      }
      const lineItemIds = itemsMentioned(order, u);
      const itemsTotal = order.lineItems.filter((li) => lineItemIds.includes(li.id)).reduce((s, li) => s + li.price * li.quantity, 0);
      return { type: 'refund', orderNumber: order.orderNumber, lineItemIds, amount: round2(Math.min(itemsTotal, refundableAmount(order))), reason: 'customer request' };
    }
    case 'address_change':
      return newAddress ? { type: 'address_change', orderNumber: order.orderNumber, address: newAddress, reason: 'customer request' } : null;
    default:
      return null;
  }
}

const REQUEST = /\b(i\s*(?:'d|would|want|need|wish)|i'm (?:trying|looking) to|please|can you|could you|would you|help me|let me|start|open|process|cancel|refund me|send (?:it|them) back)\b/i;
const POLICY_QUESTION = /^(?:how (?:long|many|much|does|do|are)|what(?:'s| is| are)|do you|does|is there|are there|when (?:do|does|will)|which)\b/i;

/** A question about how things work ("how long do refunds take?"), not a request to act. */
export function isPolicyQuestion(text: string): boolean {
  const sentences = text.split(/(?<=[.?!])\s+|\n+/).map((s) => s.trim()).filter(Boolean);
  return sentences.some((s) => POLICY_QUESTION.test(s)) && !sentences.some((s) => REQUEST.test(s) && !POLICY_QUESTION.test(s));
}
