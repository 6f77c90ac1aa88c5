import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { executeAction } from '../../../src/commerce/action-executor.js';
import { insertAction, type InsertActionInput } from '../../../src/commerce/actions.js';
import { ERROR_TEXTS } from '../../../src/commerce/error-texts.js';
import { getCommerceConnector } from '../../../src/commerce/resolve-connector.js';
import { runStoreAction } from '../../../src/commerce/run-action.js';
import { completeShopifyInstall, markShopifyUninstalled } from '../../../src/commerce/shopify-install.js';
import { defaultSettings } from '../../../src/domain/settings.js';
import { RetryableError } from '../../../src/errors.js';
import { updateStoreSettings, type Store } from '../../../src/store/stores.js';
import type { AppContext } from '../../../src/app/context.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { API_VERSION, SHOP, SHOPIFY_ENV, fixture, mockAdminApi, orderAnswer, orderNode, ordersAnswer } from '../../fixtures/shopify/helpers.js';

let db: TestDb;
let ctx: AppContext;
let store: Store;
let seq = 0;

beforeAll(async () => {
  db = await createTestDb();
  ctx = await createTestContext(db, SHOPIFY_ENV);
  const installed = (await completeShopifyInstall(ctx.db, ctx.encryptionKey, { shop: SHOP, accessToken: 'shpat_x', scope: 'write_orders', apiVersion: API_VERSION })).store;
  // Every test acts for the same customer: the daily limit is tested on its own below.
  store = await updateStoreSettings(ctx.db, installed.id, { ...installed.settings, max_actions_per_customer_per_day: 100 });
});
afterAll(async () => {
  await ctx.close();
  await db.close();
});
afterEach(() => nock.cleanAll());

const connector = (fetchImpl?: typeof fetch) => getCommerceConnector(ctx, store, { fetch: fetchImpl, sleep: async () => {} });
const run = async (actionId: string, fetchImpl?: typeof fetch) => executeAction({ db: ctx.db, connector: await connector(fetchImpl) }, { storeId: store.id, actionId });
const action = (over: Partial<InsertActionInput> & Pick<InsertActionInput, 'type' | 'orderNumber' | 'data'>) =>
  insertAction(ctx.db, { storeId: store.id, customerEmail: 'jane.doe@example.com', idempotencyKey: `act-${++seq}-${over.type}`, ...over });
const actionRow = (id: string) => ctx.db('actions').where({ id }).first();

const paid = () => orderNode('graphql/order-paid.json');
const delivered = () => orderNode('graphql/order-delivered.json');
const newAddress = { name: 'Jane Doe', address1: '400 Oak Avenue', address2: 'Apt 5', city: 'Chicago', province: 'IL', zip: '60601', country: 'US' };

/** Each action: the order before, calls it makes before its mutation, the mutation, the order after. */
const scenarios = [
  {
    type: 'cancel_order' as const,
    orderNumber: '#1001',
    data: { reason: 'customer request' },
    before: paid,
    preCalls: [] as [string, unknown][],
    mutation: ['OrderCancel', fixture('graphql/order-cancel.json')] as const,
    after: () => ({ ...paid(), cancelledAt: '2026-11-21T12:00:00Z', displayFinancialStatus: 'REFUNDED' }),
  },
  {
    type: 'refund' as const,
    orderNumber: '#1002',
    data: { amount: 30, reason: 'customer request' },
    before: delivered,
    preCalls: [['OrderTransactions', fixture('graphql/order-transactions.json')]] as [string, unknown][],
    mutation: ['RefundCreate', fixture('graphql/refund-create.json')] as const,
    after: (key: string) => ({
      ...delivered(),
      displayFinancialStatus: 'PARTIALLY_REFUNDED',
      totalRefundedSet: { shopMoney: { amount: '30.0', currencyCode: 'USD' } },
      refunds: [{ id: 'gid://shopify/Refund/2001', note: `customer request [ref:${key}]`, createdAt: '2026-11-21T12:00:00Z', totalRefundedSet: { shopMoney: { amount: '30.0' } } }],
    }),
  },
  {
    type: 'address_change' as const,
    orderNumber: '#1001',
    data: { address: newAddress },
    before: paid,
    preCalls: [] as [string, unknown][],
    mutation: ['OrderUpdate', fixture('graphql/order-update.json')] as const,
    after: () => ({ ...paid(), shippingAddress: fixture('graphql/order-update.json').data.orderUpdate.order.shippingAddress }),
  },
  {
    type: 'return_request' as const,
    orderNumber: '#1002',
    data: { lineItemIds: ['gid://shopify/LineItem/9101'], reason: 'too small' },
    before: delivered,
    preCalls: [['OrderById', orderAnswer(orderNode('graphql/order-delivered.json'))]] as [string, unknown][],
    mutation: ['ReturnRequest', fixture('graphql/return-request.json')] as const,
    after: () => ({ ...delivered(), returns: { nodes: [{ id: 'gid://shopify/Return/945000954', name: '#1002-R1', status: 'REQUESTED' }] } }),
  },
];

describe('executeAction on Shopify: exactly once', () => {
  it.each(scenarios)('$type: a retry after a crash between "recorded" and "sent" does not send the mutation again', async (s) => {
    const id = await action({ type: s.type, orderNumber: s.orderNumber, data: s.data });
    const key = (await actionRow(id)).idempotency_key as string;
    const [mutation, answer] = s.mutation;

    // Attempt 1: Shopify applies the mutation, then the worker dies before marking it sent.
    const api = mockAdminApi().on('OrderByName', ordersAnswer(s.before()));
    for (const [op, reply] of s.preCalls) api.on(op, reply);
    api.on(mutation, answer);
    const crashAfterMutation: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (String(init?.body ?? '').includes(`mutation ${mutation}`)) throw new Error('worker killed');
      return res;
    };
    await expect(run(id, crashAfterMutation)).rejects.toBeInstanceOf(RetryableError);
    expect(api.count(mutation)).toBe(1);
    expect(await ctx.db('external_writes').where({ idempotency_key: key }).first()).toMatchObject({ status: 'recorded', attempts: 1 });
    expect((await actionRow(id)).status).toBe('proposed');

    // Attempt 2 (the job retry): Shopify shows the change; no mutation is mocked, none may be sent.
    api.on('OrderByName', ordersAnswer(s.after(key)), { times: 2 });
    const result = await run(id);
    expect(result).toMatchObject({ status: 'completed', replayed: true });
    expect(api.count(mutation)).toBe(1);
    expect(await ctx.db('external_writes').where({ idempotency_key: key }).first()).toMatchObject({ status: 'sent', attempts: 1 });
    expect((await actionRow(id)).status).toBe('completed');

    // A third run (e.g. a duplicate job) only replays the recorded outcome.
    expect(await run(id)).toMatchObject({ status: 'completed', replayed: true });
  });

  it('cancels a paid order once and refreshes the cached order', async () => {
    const id = await action({ type: 'cancel_order', orderNumber: '1001', data: { reason: 'customer request' } });
    const api = mockAdminApi()
      .on('OrderByName', ordersAnswer(paid()))
      .on('OrderCancel', fixture('graphql/order-cancel.json'))
      .on('OrderByName', ordersAnswer({ ...paid(), cancelledAt: '2026-11-21T12:00:00Z' }));
    expect(await run(id)).toMatchObject({ status: 'completed', replayed: false });
    expect(api.calls.map((c) => c.operation)).toEqual(['OrderByName', 'OrderCancel', 'OrderByName']);
    expect(await ctx.db('orders').where({ store_id: store.id, order_number: '#1001' }).first()).toMatchObject({ status: 'cancelled' });
  });

  it('a transient failure of the mutation is retried, and sent again only because it did not happen', async () => {
    const id = await action({ type: 'cancel_order', orderNumber: '#1001', data: {} });
    const api = mockAdminApi().on('OrderByName', ordersAnswer(paid())).on('OrderCancel', { errors: 'Service Unavailable' }, { status: 503 });
    await expect(run(id)).rejects.toBeInstanceOf(RetryableError);
    expect(await actionRow(id)).toMatchObject({ status: 'proposed', error_message: expect.stringContaining('will retry') });
    api.on('OrderByName', ordersAnswer(paid())).on('OrderCancel', fixture('graphql/order-cancel.json')).on('OrderByName', ordersAnswer(paid()));
    expect(await run(id)).toMatchObject({ status: 'completed' });
    expect(api.count('OrderCancel')).toBe(2);
  });
});

describe('executeAction on Shopify: store limits', () => {
  it('does not send a refund over auto_refund_limit: it waits for approval, then runs once approved', async () => {
    expect(store.settings.auto_refund_limit).toBe(50);
    const id = await action({ type: 'refund', orderNumber: '#1002', data: { amount: 60, reason: 'damaged on arrival' } });
    const api = mockAdminApi().on('OrderByName', ordersAnswer(delivered()));
    expect(await run(id)).toMatchObject({ status: 'awaiting_approval', code: 'over_refund_limit' });
    expect(api.count('RefundCreate')).toBe(0);
    const row = await actionRow(id);
    expect(row.status).toBe('awaiting_approval');
    expect(await ctx.db('external_writes').where({ idempotency_key: row.idempotency_key })).toHaveLength(0);
    // Running it again without an approval changes nothing.
    expect(await run(id)).toMatchObject({ status: 'awaiting_approval' });

    await ctx.db('actions').where({ id }).update({ status: 'approved', approved_by: 'agent-42' });
    api
      .on('OrderByName', ordersAnswer(delivered()))
      .on('OrderTransactions', fixture('graphql/order-transactions.json'))
      .on('RefundCreate', fixture('graphql/refund-create.json'))
      .on('OrderByName', ordersAnswer(delivered()));
    expect(await run(id)).toMatchObject({ status: 'completed' });
    expect(api.count('RefundCreate')).toBe(1);
    expect(api.calls.find((c) => c.operation === 'RefundCreate')?.variables.input).toMatchObject({ transactions: [{ amount: '60.00' }] });
  });

  it('an action marked approved without a person behind it is still held by the refund limit', async () => {
    const id = await action({ type: 'refund', orderNumber: '#1002', data: { amount: 60 } });
    await ctx.db('actions').where({ id }).update({ status: 'approved' });
    const api = mockAdminApi().on('OrderByName', ordersAnswer(delivered()));
    expect(await run(id)).toMatchObject({ status: 'awaiting_approval', code: 'over_refund_limit' });
    expect(api.count('RefundCreate')).toBe(0);
  });

  it('sends the action past the daily limit for approval', async () => {
    const id = await action({ type: 'cancel_order', orderNumber: '#1001', data: {} });
    mockAdminApi().on('OrderByName', ordersAnswer(paid()));
    const connectorNow = await connector();
    const settings = { ...defaultSettings(), max_actions_per_customer_per_day: 0 };
    expect(await executeAction({ db: ctx.db, connector: connectorNow, settings }, { storeId: store.id, actionId: id })).toMatchObject({
      status: 'awaiting_approval',
      code: 'daily_action_limit',
    });
  });

  it.each([
    ['a cancellation of a shipped order', { type: 'cancel_order' as const, orderNumber: '#1002', data: {} }, delivered, 'already_shipped'],
    ['an address change after shipment', { type: 'address_change' as const, orderNumber: '#1002', data: { address: newAddress } }, delivered, 'already_shipped'],
    ['a return of an undelivered order', { type: 'return_request' as const, orderNumber: '#1001', data: {} }, paid, 'not_delivered'],
    ['an action for someone else', { type: 'cancel_order' as const, orderNumber: '#1001', data: {}, customerEmail: 'mallory@example.com' }, paid, 'not_owner'],
  ])('refuses %s without calling Shopify, with the seed text for the customer', async (_label, input, before, code) => {
    const id = await action(input);
    const api = mockAdminApi().on('OrderByName', ordersAnswer(before()));
    expect(await run(id)).toEqual({ status: 'failed', actionId: id, code, reason: expect.any(String), userMessage: ERROR_TEXTS.action_failed });
    expect(api.calls.map((c) => c.operation)).toEqual(['OrderByName']);
    expect((await actionRow(id)).status).toBe('failed');
  });

  it("records Shopify's refusal as a failed action", async () => {
    const id = await action({ type: 'cancel_order', orderNumber: '#1001', data: {} });
    mockAdminApi()
      .on('OrderByName', ordersAnswer(paid()))
      .on('OrderCancel', { data: { orderCancel: { job: null, orderCancelUserErrors: [{ field: null, message: 'Order has pending payments', code: 'INVALID' }] } } });
    expect(await run(id)).toMatchObject({ status: 'failed', code: 'platform_refused', reason: 'Order has pending payments' });
    expect(await actionRow(id)).toMatchObject({ status: 'failed', error_message: 'Order has pending payments' });
  });

  it('fails an action whose order does not exist', async () => {
    const id = await action({ type: 'cancel_order', orderNumber: '#4040', data: {} });
    mockAdminApi().on('OrderByName', fixture('graphql/orders-empty.json'));
    expect(await run(id)).toMatchObject({ status: 'failed', code: 'order_not_found' });
  });
});

describe('runStoreAction', () => {
  it("runs an action with the store's own connector and settings", async () => {
    const id = await action({ type: 'cancel_order', orderNumber: '#1001', data: {} });
    const api = mockAdminApi()
      .on('OrderByName', ordersAnswer(paid()))
      .on('OrderCancel', fixture('graphql/order-cancel.json'))
      .on('OrderByName', ordersAnswer(paid()));
    expect(await runStoreAction(ctx, { storeId: store.id, actionId: id }, { sleep: async () => {} })).toMatchObject({ status: 'completed' });
    expect(api.count('OrderCancel')).toBe(1);
  });

  it('fails the action, without retrying, when the app was uninstalled', async () => {
    const other = await completeShopifyInstall(ctx.db, ctx.encryptionKey, { shop: 'beta.myshopify.com', accessToken: 'shpat_b', scope: 'write_orders', apiVersion: API_VERSION });
    await markShopifyUninstalled(ctx.db, other.store.id, 'beta.myshopify.com');
    const id = await insertAction(ctx.db, { storeId: other.store.id, type: 'cancel_order', orderNumber: '#1', customerEmail: 'a@b.co', data: {}, idempotencyKey: 'beta-1' });
    expect(await runStoreAction(ctx, { storeId: other.store.id, actionId: id })).toMatchObject({ status: 'failed', code: 'platform_unavailable' });
    expect((await actionRow(id)).status).toBe('failed');
  });
});
