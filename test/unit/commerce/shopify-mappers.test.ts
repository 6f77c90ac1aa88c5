import { describe, expect, it } from 'vitest';
import { mapGraphqlOrder, toMailingAddressInput } from '../../../connectors/shopify/shopify.mappers.js';
import { deriveOrderState, pickReturnStatus } from '../../../connectors/shopify/shopify.state.js';
import { mapWebhookFulfillment, mapWebhookOrder } from '../../../connectors/shopify/shopify.webhook-mappers.js';
import { fixture, orderNode } from '../../fixtures/shopify/helpers.js';

describe('GraphQL order → domain Order', () => {
  it('maps a paid, unfulfilled order', () => {
    const o = mapGraphqlOrder(orderNode('graphql/order-paid.json'), 'store-1');
    expect(o).toMatchObject({
      externalId: 'gid://shopify/Order/5001',
      orderNumber: '#1001',
      email: 'jane.doe@example.com',
      state: 'paid',
      financialStatus: 'paid',
      fulfillmentStatus: 'unfulfilled',
      totalPrice: 120,
      currency: 'USD',
      refundedAmount: 0,
      trackingNumbers: [],
      shippingAddress: { address1: '12 Elm Street', city: 'Springfield', province: 'IL', zip: '62701', country: 'US' },
    });
    expect(o.lineItems).toEqual([
      expect.objectContaining({ id: 'gid://shopify/LineItem/9001', name: 'Canvas Tote', quantity: 2, price: 40 }),
      expect.objectContaining({ id: 'gid://shopify/LineItem/9002', quantity: 1, price: 40 }),
    ]);
  });

  it('takes tracking number, carrier and delivery from the fulfillments', () => {
    const o = mapGraphqlOrder(orderNode('graphql/order-delivered.json'), 'store-1');
    expect(o.state).toBe('delivered');
    expect(o.trackingNumbers).toEqual(['1Z999AA10123456784']);
    expect(o.fulfillments[0]).toMatchObject({ carrier: 'UPS', status: 'delivered', itemIds: ['gid://shopify/LineItem/9101'] });
  });

  it.each([
    [{ cancelledAt: '2026-11-21T00:00:00Z' }, 'cancelled'],
    [{ displayFinancialStatus: 'REFUNDED' }, 'refunded'],
    [{ displayFinancialStatus: 'PENDING' }, 'pending'],
    [{ returns: { nodes: [{ id: 'r', status: 'CLOSED' }] } }, 'returned'],
  ])('state %j → %s', (patch, state) => {
    expect(mapGraphqlOrder(orderNode('graphql/order-paid.json', patch), 's').state).toBe(state);
  });

  it('keeps a delivered order delivered while a return is requested', () => {
    const o = mapGraphqlOrder(orderNode('graphql/order-delivered.json', { returns: { nodes: [{ id: 'r', status: 'REQUESTED' }] } }), 's');
    expect(o.state).toBe('delivered');
    expect(o.returnStatus).toBe('requested');
  });
});

describe('deriveOrderState', () => {
  const base = { cancelled: false, financialStatus: 'paid', fulfillmentStatus: 'fulfilled', returnStatus: null };
  it.each([
    [[{ trackingNumbers: ['1'], status: 'fulfilled' }], 'in_transit'],
    [[{ trackingNumbers: [], status: 'in_transit' }], 'in_transit'],
    [[{ trackingNumbers: [], status: 'fulfilled' }], 'fulfilled'],
    [[{ trackingNumbers: ['1'], status: 'delivered' }, { trackingNumbers: ['2'], status: 'in_transit' }], 'in_transit'],
    [[{ trackingNumbers: ['1'], status: 'cancelled' }], 'fulfilled'],
  ])('fulfillments %j → %s', (fulfillments, state) => {
    expect(deriveOrderState({ ...base, fulfillments })).toBe(state);
  });

  it('prefers an active return over a closed one', () => {
    expect(pickReturnStatus(['CLOSED', 'REQUESTED'])).toBe('requested');
    expect(pickReturnStatus(['DECLINED'])).toBe('declined');
    expect(pickReturnStatus([])).toBeNull();
  });
});

describe('webhook payloads → domain', () => {
  it('maps an orders/create body to the same keys as the GraphQL path', () => {
    const o = mapWebhookOrder(fixture('webhooks/orders-create.json'), 'store-1');
    expect(o).toMatchObject({
      externalId: 'gid://shopify/Order/5003',
      orderNumber: '#1003',
      email: 'sam.lee@example.com',
      customerName: 'Sam Lee',
      customerExternalId: 'gid://shopify/Customer/7002',
      state: 'paid',
      fulfillmentStatus: 'unfulfilled',
      totalPrice: 64,
      shippingAddress: { address1: '8 Harbor Road', province: 'ME', country: 'US' },
    });
    expect(o.lineItems[0]).toMatchObject({ id: 'gid://shopify/LineItem/9201', quantity: 2, price: 32 });
  });

  it('reads tracking numbers and carrier from a fulfillment', () => {
    const { orderExternalId, fulfillment } = mapWebhookFulfillment(fixture('webhooks/fulfillments-create.json'));
    expect(orderExternalId).toBe('gid://shopify/Order/5003');
    expect(fulfillment).toMatchObject({
      id: 'gid://shopify/Fulfillment/8101',
      trackingNumbers: ['9400111899223197428490'],
      carrier: 'USPS',
      status: 'fulfilled',
    });
  });

  it('rejects a body without an order name', () => {
    expect(() => mapWebhookOrder({ id: 1 }, 's')).toThrow();
  });
});

describe('toMailingAddressInput', () => {
  it('sends country and province codes', () => {
    expect(toMailingAddressInput({ name: 'Jane Q Doe', address1: '1 A St', city: 'X', province: 'ny', zip: '1', country: 'USA' })).toEqual({
      address1: '1 A St',
      city: 'X',
      zip: '1',
      firstName: 'Jane',
      lastName: 'Q Doe',
      countryCode: 'US',
      provinceCode: 'NY',
    });
  });
});
