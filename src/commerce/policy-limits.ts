/**
 * THE one place for store-level limits on order actions. Pure: the pipeline's decide node calls it
 * to know what is allowed, and the action executor calls it again right before the vendor call.
 *
 * Order of checks (first failure wins):
 * 1. Ownership: the requester's email must equal the order's email (case-insensitive).
 * 2. Order facts (hard refusals, never waived by an approval):
 *    - cancel_order: only before fulfillment (state pending or paid);
 *    - address_change: only before shipment (pending or paid);
 *    - return_request: only when delivered (τ-bench policy "Return delivered order"), once;
 *    - refund: a positive amount, at most the order total minus what was already refunded, paid.
 * 3. Approval-type limits (an approved action skips these): a refund above `auto_refund_limit`;
 *    the customer already had `max_actions_per_customer_per_day` actions in the last 24 h.
 *
 * `auto_refund_limit` applies to `refund` only. Cancelling an unshipped order also returns the
 * money, but the goods never leave the store; `amount` is informational for cancellations.
 */
import type { Order, OrderState } from '../domain/order.js';
import type { StoreSettings } from '../domain/settings.js';

export const ACTION_TYPES = ['cancel_order', 'refund', 'address_change', 'return_request'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export type RefusalCode =
  | 'not_owner'
  | 'already_cancelled'
  | 'already_refunded'
  | 'already_returned'
  | 'already_shipped'
  | 'not_delivered'
  | 'return_already_requested'
  | 'not_paid'
  | 'invalid_amount'
  | 'amount_exceeds_refundable';

export type ApprovalCode = 'over_refund_limit' | 'daily_action_limit';

export type CheckActionInput = {
  action: ActionType;
  order: Order;
  /** Refund amount (refund); informational for the other actions. */
  amount?: number;
  settings: StoreSettings;
  /** Actions already done for this customer in the last 24 h (see countCustomerActionsToday). */
  actionsTodayForCustomer: number;
  requesterEmail: string | null;
  /** A human approved this action: approval-type limits are skipped, nothing else. */
  approved?: boolean;
};

export type CheckActionResult =
  | { allowed: true }
  | { allowed: false; code: RefusalCode; reason: string }
  | { allowed: 'needs_approval'; code: ApprovalCode; reason: string };

const round2 = (n: number) => Math.round(n * 100) / 100;
const BEFORE_FULFILLMENT: ReadonlySet<OrderState> = new Set(['pending', 'paid']);
const UNPAID = new Set(['pending', 'authorized', 'voided', 'expired']);

/** What can still be refunded: total minus refunds already made, never negative. */
export function refundableAmount(order: Order): number {
  return round2(Math.max(0, order.totalPrice - (order.refundedAmount ?? 0)));
}

export function checkAction(input: CheckActionInput): CheckActionResult {
  const { order } = input;
  const requester = input.requesterEmail?.trim().toLowerCase() ?? '';
  if (!requester || !order.email || order.email.trim().toLowerCase() !== requester) {
    return { allowed: false, code: 'not_owner', reason: 'the requester is not the customer who placed this order' };
  }
  const refusal = checkOrderFacts(input.action, order, input.amount);
  if (refusal) return { allowed: false, ...refusal };
  if (input.approved) return { allowed: true };
  if (input.action === 'refund' && (input.amount ?? 0) > input.settings.auto_refund_limit) {
    return {
      allowed: 'needs_approval',
      code: 'over_refund_limit',
      reason: `refund of ${input.amount} ${order.currency} is above the automatic limit of ${input.settings.auto_refund_limit}`,
    };
  }
  if (input.actionsTodayForCustomer >= input.settings.max_actions_per_customer_per_day) {
    return {
      allowed: 'needs_approval',
      code: 'daily_action_limit',
      reason: `the customer already had ${input.actionsTodayForCustomer} actions in the last 24 hours (limit ${input.settings.max_actions_per_customer_per_day})`,
    };
  }
  return { allowed: true };
}

/**
 * The rules that come from the order itself. Connectors apply them too (the demo store refuses
 * what Shopify would refuse), so they live here once.
 */
export function checkOrderFacts(action: ActionType, order: Order, amount?: number): { code: RefusalCode; reason: string } | null {
  const s = order.state;
  switch (action) {
    case 'cancel_order':
    case 'address_change': {
      if (BEFORE_FULFILLMENT.has(s)) return null;
      const what = action === 'cancel_order' ? 'cancelled' : 'have its address changed';
      if (s === 'cancelled') return { code: 'already_cancelled', reason: 'the order is already cancelled' };
      if (s === 'refunded') return { code: 'already_refunded', reason: `the order was refunded and cannot be ${what}` };
      return { code: 'already_shipped', reason: `the order is ${s.replace('_', ' ')} and can no longer be ${what}` };
    }
    case 'return_request': {
      if (s === 'returned') return { code: 'already_returned', reason: 'the order was already returned' };
      if (s === 'cancelled') return { code: 'already_cancelled', reason: 'the order is cancelled' };
      if (s === 'refunded') return { code: 'already_refunded', reason: 'the order was already refunded' };
      if (s !== 'delivered') return { code: 'not_delivered', reason: `only delivered orders can be returned; this one is ${s.replace('_', ' ')}` };
      if (order.returnStatus === 'requested' || order.returnStatus === 'open') {
        return { code: 'return_already_requested', reason: 'a return is already in progress for this order' };
      }
      return null;
    }
    case 'refund': {
      if (amount === undefined || !Number.isFinite(amount) || amount <= 0) {
        return { code: 'invalid_amount', reason: 'a refund needs a positive amount' };
      }
      if (order.financialStatus && UNPAID.has(order.financialStatus)) {
        return { code: 'not_paid', reason: 'the order has not been paid, there is nothing to refund' };
      }
      const refundable = refundableAmount(order);
      if (refundable <= 0) return { code: 'already_refunded', reason: 'the order was already fully refunded' };
      if (round2(amount) > refundable) {
        return { code: 'amount_exceeds_refundable', reason: `at most ${refundable} ${order.currency} can still be refunded` };
      }
      return null;
    }
  }
}
