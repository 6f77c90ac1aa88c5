import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoCommerceConnector, type DemoCommerceConnector } from '../../../connectors/demo/demo-commerce.connector.js';
import { executeAction } from '../../../src/commerce/action-executor.js';
import { insertAction, type InsertActionInput } from '../../../src/commerce/actions.js';
import { createOrderLookup } from '../../../src/commerce/order-lookup.js';
import { getCommerceConnector } from '../../../src/commerce/resolve-connector.js';
import { updateStoreSettings, type Store } from '../../../src/store/stores.js';
import { testConfig } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { loadDemoStore } from '../../helpers/stores.js';

let db: TestDb;
let store: Store;
let demo: DemoCommerceConnector;
let seq = 0;

type OrderRow = { order_number: string; email: string; total_price: string; external_id: string };
/** A demo order in this state that no earlier test touched. */
const used = new Set<string>();
async function pick(status: string): Promise<OrderRow> {
  const rows: OrderRow[] = await db.knex('orders').where({ store_id: store.id, status }).orderBy('order_number').limit(50);
  const row = rows.find((r) => !used.has(r.order_number));
  if (!row) throw new Error(`no ${status} order left`);
  used.add(row.order_number);
  return row;
}

beforeAll(async () => {
  db = await createTestDb();
  const loaded = await loadDemoStore(db.knex);
  store = await updateStoreSettings(db.knex, loaded.id, { ...loaded.settings, max_actions_per_customer_per_day: 100 });
  demo = createDemoCommerceConnector(db.knex, store.id);
});
afterAll(async () => {
  await db.close();
});

const act = async (input: Pick<InsertActionInput, 'type' | 'data'> & { order: OrderRow; email?: string }) => {
  const id = await insertAction(db.knex, {
    storeId: store.id,
    type: input.type,
    orderNumber: input.order.order_number,
    customerEmail: input.email ?? input.order.email,
    data: input.data,
    idempotencyKey: `demo-${++seq}`,
  });
  return { id, run: () => executeAction({ db: db.knex, connector: demo }, { storeId: store.id, actionId: id }) };
};
const orderRow = (n: string) => db.knex('orders').where({ store_id: store.id, order_number: n }).first();

describe('demo store: lookups', () => {
  it('is the connector of the demo store', async () => {
    const c = await getCommerceConnector({ db: db.knex, config: testConfig(), encryptionKey: Buffer.alloc(32) }, store);
    expect(c.kind).toBe('demo');
  });

  it('finds an order the way customers type it, and their orders by email', async () => {
    const row = await pick('delivered');
    const typed = row.order_number.replace('#', '').toLowerCase();
    const order = await demo.getOrderByNumber(typed);
    expect(order).toMatchObject({ orderNumber: row.order_number, state: 'delivered', email: row.email });
    expect(order?.trackingNumbers.length).toBeGreaterThan(0);
    const mine = await demo.listOrdersByEmail(row.email.toUpperCase(), 10);
    expect(mine.map((o) => o.orderNumber)).toContain(row.order_number);
    expect(mine.every((o) => o.email === row.email)).toBe(true);
    expect(await demo.getOrderByNumber('#W0000000')).toBeNull();
  });

  it('order lookup reads the tables directly (no cache, never stale)', async () => {
    const row = await pick('pending');
    const lookup = createOrderLookup({ db: db.knex, storeId: store.id, connector: demo });
    expect(await lookup.getOrderByNumber(row.order_number)).toMatchObject({ stale: false, order: { orderNumber: row.order_number } });
  });
});

describe('demo store: actions with the same rules as Shopify', () => {
  it('cancels a pending order once: status cancelled and one refund entry', async () => {
    const row = await pick('pending');
    const { run } = await act({ type: 'cancel_order', order: row, data: { reason: 'no longer needed' } });
    expect(await run()).toMatchObject({ status: 'completed', replayed: false });
    expect(await run()).toMatchObject({ status: 'completed', replayed: true });
    const after = await orderRow(row.order_number);
    expect(after.status).toBe('cancelled');
    expect(after.financial_status).toBe('refunded');
    const refunds = after.payment_history.filter((p: { transaction_type: string }) => p.transaction_type === 'refund');
    expect(refunds).toHaveLength(1);
    expect(refunds[0].amount).toBe(Number(row.total_price));

    // A second, separate request to cancel it is refused by the order's own state.
    const again = await act({ type: 'cancel_order', order: row, data: {} });
    expect(await again.run()).toMatchObject({ status: 'failed', code: 'already_cancelled' });
  });

  it('refuses to cancel a delivered order', async () => {
    const row = await pick('delivered');
    const { run } = await act({ type: 'cancel_order', order: row, data: {} });
    expect(await run()).toMatchObject({ status: 'failed', code: 'already_shipped' });
    expect((await orderRow(row.order_number)).status).toBe('delivered');
  });

  it('refuses an address change on an order in transit, accepts one on a pending order', async () => {
    const address = { name: 'New Name', address1: '1 New Road', city: 'Austin', province: 'TX', zip: '73301', country: 'USA' };
    const moving = await pick('in_transit');
    expect(await (await act({ type: 'address_change', order: moving, data: { address } })).run()).toMatchObject({ status: 'failed', code: 'already_shipped' });
    const pending = await pick('pending');
    expect(await (await act({ type: 'address_change', order: pending, data: { address } })).run()).toMatchObject({ status: 'completed' });
    expect((await orderRow(pending.order_number)).shipping_address).toMatchObject({ address1: '1 New Road', zip: '73301' });
  });

  it('accepts a return on a delivered order: return requested, state stays delivered', async () => {
    const row = await pick('delivered');
    const order = await demo.getOrderByNumber(row.order_number);
    const item = order!.lineItems[0]!.id;
    const { run } = await act({ type: 'return_request', order: row, data: { lineItemIds: [item], reason: 'too small' } });
    expect(await run()).toMatchObject({ status: 'completed' });
    const after = await demo.getOrderByNumber(row.order_number);
    expect(after).toMatchObject({ state: 'delivered', returnStatus: 'requested' });
    expect(await (await act({ type: 'return_request', order: row, data: {} })).run()).toMatchObject({ status: 'failed', code: 'return_already_requested' });
  });

  it('refunds part of a delivered order, and sends a refund over the limit for approval', async () => {
    const row = await pick('delivered');
    expect(await (await act({ type: 'refund', order: row, data: { amount: 10 } })).run()).toMatchObject({ status: 'completed' });
    const after = await demo.getOrderByNumber(row.order_number);
    expect(after).toMatchObject({ financialStatus: 'partially_refunded', refundedAmount: 10, state: 'delivered' });
    const big = await act({ type: 'refund', order: row, data: { amount: 51 } });
    expect(await big.run()).toMatchObject({ status: 'awaiting_approval', code: 'over_refund_limit' });
    expect((await demo.getOrderByNumber(row.order_number))?.refundedAmount).toBe(10);
  });

  it('refuses an action asked by someone who does not own the order', async () => {
    const row = await pick('pending');
    const { run } = await act({ type: 'cancel_order', order: row, data: {}, email: 'someone.else@example.com' });
    expect(await run()).toMatchObject({ status: 'failed', code: 'not_owner' });
    expect((await orderRow(row.order_number)).status).toBe('pending');
  });

  it('after a crash between "recorded" and "sent", the retry finds the cancellation and does not refund twice', async () => {
    const row = await pick('pending');
    const { id, run } = await act({ type: 'cancel_order', order: row, data: {} });
    const key = (await db.knex('actions').where({ id }).first()).idempotency_key;
    // What the crashed attempt did: recorded the write, performed it, never marked it sent.
    await db.knex('external_writes').insert({ store_id: store.id, idempotency_key: key, target: 'demo', operation: 'cancel_order', status: 'recorded', attempts: 1 });
    const order = await demo.getOrderByNumber(row.order_number);
    expect(await demo.cancelOrder(order!, { reason: 'customer request', refund: true, restock: true }, { idempotencyKey: key })).toMatchObject({ ok: true });

    expect(await run()).toMatchObject({ status: 'completed', replayed: true });
    const after = await orderRow(row.order_number);
    expect(after.payment_history.filter((p: { transaction_type: string }) => p.transaction_type === 'refund')).toHaveLength(1);
    expect(await db.knex('external_writes').where({ idempotency_key: key }).first()).toMatchObject({ status: 'sent' });
  });
});
