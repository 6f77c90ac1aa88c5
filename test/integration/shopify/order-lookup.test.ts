import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createShopifyConnector } from '../../../connectors/shopify/shopify.connector.js';
import { ERROR_TEXTS } from '../../../src/commerce/error-texts.js';
import { createOrderLookup, OrderLookupError } from '../../../src/commerce/order-lookup.js';
import { createStore } from '../../../src/store/stores.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { API_VERSION, SHOP, TOKEN, fixture, mockAdminApi, orderNode, ordersAnswer } from '../../fixtures/shopify/helpers.js';

let db: TestDb;
let storeId: string;
let now = new Date('2026-11-21T12:00:00Z');

beforeAll(async () => {
  db = await createTestDb();
  storeId = (await createStore(db.knex, { slug: 'acme', name: 'Acme', platform: 'shopify', domain: SHOP })).id;
});
afterAll(async () => {
  await db.close();
});
afterEach(() => nock.cleanAll());

const lookup = () =>
  createOrderLookup({
    db: db.knex,
    storeId,
    connector: createShopifyConnector({ storeId, shop: SHOP, accessToken: TOKEN, apiVersion: API_VERSION, sleep: async () => {} }),
    now: () => now,
  });
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

describe('order lookup: Shopify first, cache for 5 minutes, cache when Shopify is down', () => {
  it('asks Shopify, caches the order, and answers from the cache within the TTL', async () => {
    const api = mockAdminApi().on('OrderByName', fixture('graphql/order-paid.json'));
    const first = await lookup().getOrderByNumber('#1001');
    expect(first).toMatchObject({ source: 'platform', stale: false, order: { orderNumber: '#1001', state: 'paid' } });
    expect(await db.knex('orders').where({ store_id: storeId, order_number: '#1001' })).toHaveLength(1);

    advance(4 * 60_000);
    const second = await lookup().getOrderByNumber('1001');
    expect(second).toMatchObject({ source: 'cache', stale: false, order: { orderNumber: '#1001', totalPrice: 120 } });
    expect(api.count('OrderByName')).toBe(1);
  });

  it('asks Shopify again once the cached copy is older than 5 minutes', async () => {
    advance(2 * 60_000);
    const api = mockAdminApi().on('OrderByName', ordersAnswer(orderNode('graphql/order-paid.json', { cancelledAt: '2026-11-21T12:05:00Z' })));
    expect(await lookup().getOrderByNumber('#1001')).toMatchObject({ source: 'platform', order: { state: 'cancelled' } });
    expect(api.count('OrderByName')).toBe(1);
  });

  it('answers from the stale cache, flagged, when Shopify is down', async () => {
    advance(10 * 60_000);
    mockAdminApi().on('OrderByName', { errors: 'Service Unavailable' }, { status: 503 });
    const r = await lookup().getOrderByNumber('#1001');
    expect(r).toMatchObject({ source: 'stale_cache', stale: true, order: { orderNumber: '#1001', state: 'cancelled', stale: true } });
  });

  it("fails with the seed's integration_error when Shopify is down and nothing is cached", async () => {
    mockAdminApi().on('OrderByName', { errors: 'Service Unavailable' }, { status: 503 });
    const err = await lookup().getOrderByNumber('#1002').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrderLookupError);
    expect(err).toMatchObject({ code: 'integration_error', userMessage: ERROR_TEXTS.integration_error });
  });

  it('answers null (order_not_found) when Shopify has no such order', async () => {
    mockAdminApi().on('OrderByName', fixture('graphql/orders-empty.json'));
    expect(await lookup().getOrderByNumber('#9999')).toEqual({ order: null, stale: false, source: 'platform' });
  });

  it("lists a customer's orders live, caches them, and falls back to them when Shopify is down", async () => {
    const api = mockAdminApi().on('OrdersByEmail', ordersAnswer(orderNode('graphql/order-delivered.json')));
    const live = await lookup().listOrdersByEmail('jane.doe@example.com', 5);
    expect(live.map((o) => o.orderNumber)).toEqual(['#1002']);
    expect(live[0]?.stale).toBeUndefined();
    expect(api.count('OrdersByEmail')).toBe(1);

    advance(10 * 60_000);
    mockAdminApi().on('OrdersByEmail', { errors: 'Service Unavailable' }, { status: 503 });
    const fallback = await lookup().listOrdersByEmail('jane.doe@example.com', 5);
    expect(fallback.map((o) => o.orderNumber).sort()).toEqual(['#1001', '#1002']);
    expect(fallback.every((o) => o.stale === true)).toBe(true);
  });
});
