import { describe, expect, it } from 'vitest';
import { checkAction, refundableAmount, type CheckActionInput } from '../../../src/commerce/policy-limits.js';
import type { Order, OrderState } from '../../../src/domain/order.js';
import { defaultSettings } from '../../../src/domain/settings.js';

const settings = { ...defaultSettings(), auto_refund_limit: 50, max_actions_per_customer_per_day: 3 };

function order(state: OrderState, patch: Partial<Order> = {}): Order {
  return {
    id: 'o1',
    storeId: 's1',
    externalId: 'gid://shopify/Order/1',
    orderNumber: '#1001',
    email: 'jane@example.com',
    customerName: 'Jane',
    customerExternalId: null,
    state,
    financialStatus: 'paid',
    fulfillmentStatus: null,
    totalPrice: 120,
    currency: 'USD',
    lineItems: [],
    shippingAddress: null,
    fulfillments: [],
    trackingNumbers: [],
    placedAt: null,
    updatedAt: null,
    ...patch,
  };
}

const input = (over: Partial<CheckActionInput>): CheckActionInput => ({
  action: 'cancel_order',
  order: order('pending'),
  settings,
  actionsTodayForCustomer: 0,
  requesterEmail: 'jane@example.com',
  ...over,
});

describe('checkAction: ownership', () => {
  it('accepts the order email whatever its case', () => {
    expect(checkAction(input({ requesterEmail: '  JANE@Example.com ' }))).toEqual({ allowed: true });
  });

  it.each([
    ['another customer', 'mallory@example.com'],
    ['an unknown requester', null],
  ])('refuses %s before looking at anything else', (_label, requesterEmail) => {
    const r = checkAction(input({ requesterEmail, order: order('delivered'), action: 'cancel_order' }));
    expect(r).toMatchObject({ allowed: false, code: 'not_owner' });
  });

  it('refuses when the order has no email to compare with', () => {
    expect(checkAction(input({ order: order('pending', { email: null }) }))).toMatchObject({ allowed: false, code: 'not_owner' });
  });
});

describe('checkAction: order facts', () => {
  it.each<[CheckActionInput['action'], OrderState, string | true]>([
    ['cancel_order', 'pending', true],
    ['cancel_order', 'paid', true],
    ['cancel_order', 'fulfilled', 'already_shipped'],
    ['cancel_order', 'in_transit', 'already_shipped'],
    ['cancel_order', 'delivered', 'already_shipped'],
    ['cancel_order', 'cancelled', 'already_cancelled'],
    ['address_change', 'paid', true],
    ['address_change', 'in_transit', 'already_shipped'],
    ['address_change', 'cancelled', 'already_cancelled'],
    ['return_request', 'delivered', true],
    ['return_request', 'in_transit', 'not_delivered'],
    ['return_request', 'pending', 'not_delivered'],
    ['return_request', 'returned', 'already_returned'],
  ])('%s on a %s order → %s', (action, state, expected) => {
    const r = checkAction(input({ action, order: order(state) }));
    if (expected === true) expect(r).toEqual({ allowed: true });
    else expect(r).toMatchObject({ allowed: false, code: expected });
  });

  it('refuses a second return while one is requested', () => {
    const r = checkAction(input({ action: 'return_request', order: order('delivered', { returnStatus: 'requested' }) }));
    expect(r).toMatchObject({ allowed: false, code: 'return_already_requested' });
  });

  it('refunds at most what was paid and not yet refunded', () => {
    const o = order('delivered', { refundedAmount: 100 });
    expect(refundableAmount(o)).toBe(20);
    expect(checkAction(input({ action: 'refund', order: o, amount: 20 }))).toEqual({ allowed: true });
    expect(checkAction(input({ action: 'refund', order: o, amount: 20.01 }))).toMatchObject({ allowed: false, code: 'amount_exceeds_refundable' });
    expect(checkAction(input({ action: 'refund', order: order('delivered', { refundedAmount: 120 }), amount: 1 }))).toMatchObject({
      allowed: false,
      code: 'already_refunded',
    });
  });

  it.each([0, -5, Number.NaN, undefined])('refuses a refund of %s', (amount) => {
    expect(checkAction(input({ action: 'refund', order: order('delivered'), amount }))).toMatchObject({ allowed: false, code: 'invalid_amount' });
  });

  it('refuses to refund an unpaid order', () => {
    const r = checkAction(input({ action: 'refund', order: order('pending', { financialStatus: 'pending' }), amount: 10 }));
    expect(r).toMatchObject({ allowed: false, code: 'not_paid' });
  });
});

describe('checkAction: approval limits', () => {
  it('sends a refund above auto_refund_limit for approval, and allows it once approved', () => {
    const over = input({ action: 'refund', order: order('delivered'), amount: 50.01 });
    expect(checkAction(over)).toMatchObject({ allowed: 'needs_approval', code: 'over_refund_limit' });
    expect(checkAction({ ...over, approved: true })).toEqual({ allowed: true });
    expect(checkAction(input({ action: 'refund', order: order('delivered'), amount: 50 }))).toEqual({ allowed: true });
  });

  it('does not apply the refund limit to cancelling an unshipped order', () => {
    expect(checkAction(input({ action: 'cancel_order', order: order('paid'), amount: 120 }))).toEqual({ allowed: true });
  });

  it('sends the action after the daily limit for approval', () => {
    expect(checkAction(input({ actionsTodayForCustomer: 2 }))).toEqual({ allowed: true });
    expect(checkAction(input({ actionsTodayForCustomer: 3 }))).toMatchObject({ allowed: 'needs_approval', code: 'daily_action_limit' });
  });

  it('an approval never waives ownership or the order state', () => {
    expect(checkAction(input({ approved: true, requesterEmail: 'mallory@example.com' }))).toMatchObject({ allowed: false, code: 'not_owner' });
    expect(checkAction(input({ approved: true, order: order('delivered') }))).toMatchObject({ allowed: false, code: 'already_shipped' });
    expect(checkAction(input({ approved: true, action: 'refund', order: order('delivered'), amount: 500 }))).toMatchObject({
      allowed: false,
      code: 'amount_exceeds_refundable',
    });
  });
});
