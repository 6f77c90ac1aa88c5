import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commerceWebhookHandler } from '../../../jobs/handlers/commerce-webhook.js';
import type { AppContext } from '../../../src/app/context.js';
import { completeShopifyInstall } from '../../../src/commerce/shopify-install.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { createStore } from '../../../src/store/stores.js';
import { generateApiKey, saveApiKey } from '../../../src/security/api-keys.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { API_VERSION, SHOP, SHOPIFY_ENV, fixture, webhookHeaders } from '../../fixtures/shopify/helpers.js';

const JANE = { email: 'jane.doe@example.com', gid: 'gid://shopify/Customer/7001', phone: '+15555550101', name: 'Jane Doe' };
const SAM = { email: 'sam.lee@example.com', gid: 'gid://shopify/Customer/7002', phone: '+15555550102', name: 'Sam Lee' };

let db: TestDb;
let ctx: AppContext;
let storeId: string;
let otherStoreId: string;

/** One customer's footprint in every table a conversation touches. */
async function seedCustomer(sid: string, c: typeof JANE, orderIds: number[]) {
  const [customer] = await ctx.db('customers')
    .insert({ store_id: sid, external_id: c.gid, email: c.email, name: c.name, phone: c.phone })
    .returning('id');
  for (const id of orderIds) {
    await ctx.db('orders').insert({
      store_id: sid,
      external_id: `gid://shopify/Order/${id}`,
      order_number: `#${id}`,
      email: c.email,
      customer_id: customer.id,
      customer_external_id: c.gid,
      customer_name: c.name,
      status: 'paid',
      shipping_address: JSON.stringify({ name: c.name, address1: '1 Main St', city: 'X', zip: '1', country: 'US' }),
    });
  }
  const [conv] = await ctx.db('conversations')
    .insert({ store_id: sid, customer_id: customer.id, customer_email: c.email, channel: 'zendesk', external_id: `t-${c.gid}`, subject: `Order for ${c.name}` })
    .returning('id');
  await ctx.db('messages').insert([
    { store_id: sid, conversation_id: conv.id, role: 'user', content: `Hi, I'm ${c.name}, where is my order? Reach me at ${c.phone}` },
    { store_id: sid, conversation_id: conv.id, role: 'assistant', content: `Hello ${c.name}, it ships tomorrow.` },
  ]);
  const key = `act-${sid}-${c.gid}`;
  await ctx.db('actions').insert({ store_id: sid, conversation_id: conv.id, action_type: 'refund', order_number: `#${orderIds[0]}`, customer_email: c.email, action_data: JSON.stringify({ amount: 5 }), idempotency_key: key, status: 'completed' });
  await ctx.db('external_writes').insert({ store_id: sid, idempotency_key: key, target: 'shopify', operation: 'refund', status: 'sent', response: JSON.stringify({ note: `refund for ${c.email}` }) });
  const [ev] = await ctx.db('inbound_events')
    .insert({ store_id: sid, source: 'zendesk', idempotency_key: `ev-${key}`, event_type: 'ticket', payload: JSON.stringify({ customerEmail: c.email, body: 'hello' }), conversation_id: conv.id })
    .returning('id');
  await ctx.db('decision_traces').insert({ store_id: sid, conversation_id: conv.id, inbound_event_id: ev.id, engine: 'local', outcome: 'draft', nodes: JSON.stringify([{ node: 'understand', input: { email: c.email } }]) });
}

beforeAll(async () => {
  db = await createTestDb();
  ctx = await createTestContext(db, SHOPIFY_ENV);
  storeId = (await completeShopifyInstall(ctx.db, ctx.encryptionKey, { shop: SHOP, accessToken: 'shpat_x', scope: 'read_orders', apiVersion: API_VERSION })).store.id;
  otherStoreId = (await createStore(ctx.db, { slug: 'other', name: 'Other', platform: 'custom' })).id;
  await seedCustomer(storeId, JANE, [5001, 5002]);
  await seedCustomer(storeId, SAM, [5003]);
  await seedCustomer(otherStoreId, JANE, [6001]);
});
afterAll(async () => {
  await ctx.close();
  await db.close();
});

/** Delivers a signed compliance webhook, then runs the job the way the worker would. */
async function deliverAndRun(topic: string, body: unknown) {
  const raw = JSON.stringify(body);
  const headers = webhookHeaders(raw, { topic });
  const res = await supertest(createApp(ctx, routeModules(ctx))).post('/webhooks/shopify').set(headers).send(raw);
  expect(res.status).toBe(200);
  const ev = await ctx.db('inbound_events').where({ source: 'shopify', idempotency_key: headers['x-shopify-webhook-id'] }).first('id', 'store_id');
  const outcome = await commerceWebhookHandler(ctx)({ storeId: ev.store_id, inboundEventId: ev.id });
  return { outcome, eventId: ev.id as string };
}

async function tables(): Promise<{ name: string; hasStoreId: boolean }[]> {
  const r = await ctx.db.raw(
    `select t.table_name as name,
            exists (select 1 from information_schema.columns c
                     where c.table_schema = t.table_schema and c.table_name = t.table_name and c.column_name = 'store_id') as has_store_id
       from information_schema.tables t
      where t.table_schema = current_schema() and t.table_type = 'BASE TABLE' order by 1`,
  );
  return r.rows.map((row: { name: string; has_store_id: boolean }) => ({ name: row.name, hasStoreId: row.has_store_id }));
}

/** Rows of this store, in any table, whose text contains `needle` (case-insensitive). */
async function rowsMentioning(needle: string, sid: string): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const t of await tables()) {
    const scope = t.name === 'stores' ? 'and x.id = ?' : t.hasStoreId ? 'and x.store_id = ?' : '';
    const bindings = scope ? [needle.toLowerCase(), sid] : [needle.toLowerCase()];
    const r = await ctx.db.raw(`select count(*)::int as n from "${t.name}" x where position(? in lower(x::text)) > 0 ${scope}`, bindings);
    if (r.rows[0].n > 0) found[t.name] = r.rows[0].n;
  }
  return found;
}

describe('Shopify compliance webhooks', () => {
  it('customers/data_request produces an export of the customer, their orders, conversations and messages', async () => {
    const { outcome } = await deliverAndRun('customers/data_request', fixture('webhooks/customers-data_request.json'));
    expect(outcome).toMatchObject({ done: 'export created' });
    const exp = await ctx.db('data_exports').where({ store_id: storeId, request_id: '9999' }).first();
    expect(exp.customer_email).toBe(JANE.email);
    expect(exp.data.customers).toHaveLength(1);
    expect(exp.data.orders.map((o: { order_number: string }) => o.order_number).sort()).toEqual(['#5001', '#5002']);
    expect(exp.data.conversations).toHaveLength(1);
    expect(exp.data.conversations[0].messages).toHaveLength(2);
    expect(exp.data.actions).toHaveLength(1);
    expect(JSON.stringify(exp.data)).not.toContain(SAM.email);
  });

  it('lets the merchant download the export with an admin key, and nobody else', async () => {
    const app = createApp(ctx, routeModules(ctx));
    const admin = generateApiKey();
    const reader = generateApiKey();
    await saveApiKey(ctx.db, { storeId, key: admin, name: 'admin', permissions: ['admin'] });
    await saveApiKey(ctx.db, { storeId, key: reader, name: 'reader', permissions: ['read'] });
    const list = await supertest(app).get(`/api/v1/stores/${storeId}/data-exports`).set('Authorization', `Bearer ${admin}`);
    expect(list.status).toBe(200);
    const id = list.body.data.find((e: { request_id: string }) => e.request_id === '9999').id;
    const one = await supertest(app).get(`/api/v1/stores/${storeId}/data-exports/${id}`).set('Authorization', `Bearer ${admin}`);
    expect(one.status).toBe(200);
    expect(one.body.data.orders).toHaveLength(2);
    expect((await supertest(app).get(`/api/v1/stores/${storeId}/data-exports/${id}`).set('Authorization', `Bearer ${reader}`)).status).toBe(403);
    const other = generateApiKey();
    await saveApiKey(ctx.db, { storeId: otherStoreId, key: other, name: 'other', permissions: ['admin'] });
    expect((await supertest(app).get(`/api/v1/stores/${storeId}/data-exports/${id}`).set('Authorization', `Bearer ${other}`)).status).toBe(403);
  });

  it("customers/redact deletes the customer's data from every table of the store, and nothing else", async () => {
    expect(Object.keys(await rowsMentioning(JANE.email, storeId)).length).toBeGreaterThan(5);
    const { outcome, eventId } = await deliverAndRun('customers/redact', fixture('webhooks/customers-redact.json'));
    expect(outcome).toMatchObject({ done: 'customer redacted' });

    for (const needle of [JANE.email, JANE.gid, JANE.phone, JANE.name]) {
      expect(await rowsMentioning(needle, storeId), needle).toEqual({});
    }
    // The request itself is kept (dedup, audit) without naming the customer.
    expect((await ctx.db('inbound_events').where({ id: eventId }).first()).payload).toMatchObject({ topic: 'customers/redact', redacted: true });
    // Another customer of the store, and the same person in another store, are untouched.
    for (const table of ['customers', 'orders', 'conversations', 'actions']) {
      expect(await ctx.db(table).where({ store_id: storeId }), table).toHaveLength(1);
    }
    expect(await ctx.db('messages').where({ store_id: storeId })).toHaveLength(2);
    expect(Object.keys(await rowsMentioning(JANE.email, otherStoreId))).toEqual(
      expect.arrayContaining(['customers', 'orders', 'conversations', 'actions', 'inbound_events', 'decision_traces']),
    );
  });

  it('shop/redact deletes every row of the shop in every table', async () => {
    const { outcome } = await deliverAndRun('shop/redact', fixture('webhooks/shop-redact.json'));
    expect(outcome).toMatchObject({ done: 'shop redacted' });
    const left: Record<string, number> = {};
    for (const t of await tables()) {
      const column = t.name === 'stores' ? 'id' : t.hasStoreId ? 'store_id' : null;
      if (!column) continue;
      const [row] = await ctx.db(t.name).where({ [column]: storeId }).count<{ n: number }[]>({ n: '*' });
      if (Number(row?.n) > 0) left[t.name] = Number(row?.n);
    }
    expect(left).toEqual({});
    expect(await ctx.db('shopify_sessions').where({ shop: SHOP })).toHaveLength(0);
    expect(await rowsMentioning(SHOP, storeId)).toEqual({});
    expect(await ctx.db('orders').where({ store_id: otherStoreId })).toHaveLength(1);
  });
});
