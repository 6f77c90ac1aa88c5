import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createShopifyConnector } from '../../connectors/shopify/shopify.connector.js';
import { mapGraphqlOrder } from '../../connectors/shopify/shopify.mappers.js';
import { PermanentError, RetryableError } from '../../src/errors.js';
import { API_VERSION, SHOP, TOKEN, fixture, mockAdminApi, orderNode, ordersAnswer } from '../fixtures/shopify/helpers.js';

const waits: number[] = [];
const connector = (extra: { baseUrl?: string } = {}) =>
  createShopifyConnector({
    storeId: 'store-1',
    shop: SHOP,
    accessToken: TOKEN,
    apiVersion: API_VERSION,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...extra,
  });
const key = { idempotencyKey: 'act-123-cancel_order' };

afterEach(() => {
  nock.cleanAll();
  waits.length = 0;
});

describe('Shopify connector: lookups', () => {
  it('finds an order by name with the shop token on the versioned endpoint', async () => {
    const api = mockAdminApi().on('OrderByName', fixture('graphql/order-paid.json'));
    const order = await connector().getOrderByNumber('1001');
    expect(order).toMatchObject({ orderNumber: '#1001', state: 'paid', totalPrice: 120 });
    expect(api.calls[0]?.token).toBe(TOKEN);
    expect(api.calls[0]?.variables.query).toBe('name:"#1001" OR name:"1001"');
    api.scope.done();
  });

  it('answers null when no order has exactly that name', async () => {
    mockAdminApi().on('OrderByName', ordersAnswer(orderNode('graphql/order-paid.json', { name: '#10010' })));
    expect(await connector().getOrderByNumber('#1001')).toBeNull();
  });

  it("lists a customer's recent orders by email, only theirs", async () => {
    const api = mockAdminApi().on(
      'OrdersByEmail',
      ordersAnswer(orderNode('graphql/order-delivered.json'), orderNode('graphql/order-paid.json', { email: 'someone.else@example.com' })),
    );
    const orders = await connector().listOrdersByEmail('Jane.Doe@Example.com', 5);
    expect(orders.map((o) => o.orderNumber)).toEqual(['#1002']);
    expect(api.calls[0]?.variables).toEqual({ query: 'email:"jane.doe@example.com"', first: 5 });
  });

  it('reads a customer profile', async () => {
    mockAdminApi().on('CustomerByEmail', fixture('graphql/customer-by-email.json'));
    expect(await connector().getCustomerByEmail('jane.doe@example.com')).toEqual({
      externalId: 'gid://shopify/Customer/7001',
      email: 'jane.doe@example.com',
      name: 'Jane Doe',
      totalOrders: 2,
      totalSpent: 209.5,
    });
  });

  it('honours SHOPIFY_ADMIN_BASE_URL', async () => {
    const api = mockAdminApi({ origin: 'http://shopify-proxy.internal:8080' }).on('OrderByName', fixture('graphql/order-paid.json'));
    await connector({ baseUrl: 'http://shopify-proxy.internal:8080' }).getOrderByNumber('#1001');
    api.scope.done();
  });
});

describe('Shopify connector: throttling and errors', () => {
  it.each([200, 429])('waits out a THROTTLED answer (HTTP %i) using the returned cost, then retries', async (status) => {
    const api = mockAdminApi()
      .on('OrderByName', fixture('graphql/throttled.json'), { status })
      .on('OrderByName', fixture('graphql/order-paid.json'));
    const order = await connector().getOrderByNumber('#1001');
    expect(order?.orderNumber).toBe('#1001');
    expect(waits).toEqual([2000]);
    expect(api.count('OrderByName')).toBe(2);
  });

  it('gives the job back (RetryableError with the wait) when throttling lasts', async () => {
    mockAdminApi().on('OrderByName', fixture('graphql/throttled.json'), { times: 4 });
    const err = await connector().getOrderByNumber('#1001').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as RetryableError).retryAfterMs).toBe(2000);
    expect(waits).toEqual([2000, 2000, 2000]);
  });

  it.each([
    [503, RetryableError],
    [500, RetryableError],
    [401, PermanentError],
    [403, PermanentError],
  ])('classifies HTTP %i', async (status, type) => {
    mockAdminApi().on('OrderByName', { errors: '[API] Invalid API key or access token' }, { status });
    await expect(connector().getOrderByNumber('#1001')).rejects.toBeInstanceOf(type);
  });

  it('treats an unreachable shop as retryable', async () => {
    nock(`https://${SHOP}`).post(`/admin/api/${API_VERSION}/graphql.json`).replyWithError('connect ECONNREFUSED');
    await expect(connector().getOrderByNumber('#1001')).rejects.toBeInstanceOf(RetryableError);
  });
});

describe('Shopify connector: actions', () => {
  const paid = mapGraphqlOrder(orderNode('graphql/order-paid.json'), 'store-1');
  const delivered = mapGraphqlOrder(orderNode('graphql/order-delivered.json'), 'store-1');

  it('cancels with reason, refund and restock, leaving our key in the staff note', async () => {
    const api = mockAdminApi().on('OrderCancel', fixture('graphql/order-cancel.json'));
    const r = await connector().cancelOrder(paid, { reason: 'customer request', refund: true, restock: true }, key);
    expect(r).toMatchObject({ ok: true, externalId: 'gid://shopify/Job/4c4a8a0e-1c1a-4a7e-9a52-8f2f1d3b2a10' });
    expect(api.calls[0]?.variables).toMatchObject({
      orderId: 'gid://shopify/Order/5001',
      reason: 'CUSTOMER',
      refundMethod: { originalPaymentMethodsRefund: true },
      restock: true,
    });
    expect(api.calls[0]?.variables.staffNote).toContain('[ref:act-123-cancel_order]');
  });

  it("reports Shopify's refusal instead of throwing", async () => {
    mockAdminApi().on('OrderCancel', {
      data: { orderCancel: { job: null, orderCancelUserErrors: [{ field: ['orderId'], message: 'Cannot cancel a fulfilled order', code: 'INVALID' }] } },
    });
    expect(await connector().cancelOrder(paid, { reason: 'x', refund: true, restock: true }, key)).toEqual({
      ok: false,
      reason: 'Cannot cancel a fulfilled order',
    });
  });

  it('refunds an amount against the captured payment, with items and our key in the note', async () => {
    const api = mockAdminApi()
      .on('OrderTransactions', fixture('graphql/order-transactions.json'))
      .on('RefundCreate', fixture('graphql/refund-create.json'));
    const r = await connector().refund(delivered, { amount: 30, lineItemIds: ['gid://shopify/LineItem/9101'], reason: 'damaged' }, { idempotencyKey: 'k-refund' });
    expect(r).toMatchObject({ ok: true, externalId: 'gid://shopify/Refund/2001' });
    const input = api.calls[1]?.variables.input as Record<string, unknown>;
    expect(input).toMatchObject({
      orderId: 'gid://shopify/Order/5002',
      refundLineItems: [{ lineItemId: 'gid://shopify/LineItem/9101', quantity: 1, restockType: 'NO_RESTOCK' }],
      transactions: [{ orderId: 'gid://shopify/Order/5002', gateway: 'shopify_payments', kind: 'REFUND', amount: '30.00', parentId: 'gid://shopify/OrderTransaction/3002' }],
    });
    expect(input.note).toContain('[ref:k-refund]');
  });

  it('changes the shipping address and checks Shopify applied it', async () => {
    const api = mockAdminApi().on('OrderUpdate', fixture('graphql/order-update.json'));
    const address = { name: 'Jane Doe', address1: '400 Oak Avenue', address2: 'Apt 5', city: 'Chicago', province: 'IL', zip: '60601', country: 'US' };
    expect(await connector().updateShippingAddress(paid, address, key)).toMatchObject({ ok: true });
    expect(api.calls[0]?.variables.input).toEqual({
      id: 'gid://shopify/Order/5001',
      shippingAddress: { address1: '400 Oak Avenue', address2: 'Apt 5', city: 'Chicago', zip: '60601', firstName: 'Jane', lastName: 'Doe', countryCode: 'US', provinceCode: 'IL' },
    });
    mockAdminApi().on('OrderUpdate', fixture('graphql/order-update.json'));
    expect(await connector().updateShippingAddress(paid, { ...address, zip: '60602' }, key)).toEqual({
      ok: false,
      reason: 'Shopify did not apply the new shipping address',
    });
  });

  it('requests a return for the fulfilled line items', async () => {
    const api = mockAdminApi()
      .on('OrderById', { data: { order: orderNode('graphql/order-delivered.json') } })
      .on('ReturnRequest', fixture('graphql/return-request.json'));
    const r = await connector().requestReturn(delivered, { lineItemIds: ['gid://shopify/LineItem/9101'], reason: 'too small' }, key);
    expect(r).toMatchObject({ ok: true, externalId: 'gid://shopify/Return/945000954' });
    expect(api.calls[1]?.variables.input).toEqual({
      orderId: 'gid://shopify/Order/5002',
      returnLineItems: [{ fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/6001', quantity: 1, returnReason: 'SIZE_TOO_SMALL', customerNote: 'too small' }],
    });
  });
});
