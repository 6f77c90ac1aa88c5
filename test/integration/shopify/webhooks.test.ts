import type { Worker } from 'bullmq';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobCatalog } from '../../../jobs/catalog.js';
import { commerceWebhookHandler } from '../../../jobs/handlers/commerce-webhook.js';
import { startWorkers } from '../../../jobs/workers.js';
import type { AppContext } from '../../../src/app/context.js';
import { completeShopifyInstall } from '../../../src/commerce/shopify-install.js';
import { getCommerceConnector } from '../../../src/commerce/resolve-connector.js';
import { PermanentError } from '../../../src/errors.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { connectRedis, createRedis } from '../../../src/infra/redis.js';
import { findStore } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { API_VERSION, SHOP, SHOPIFY_ENV, fixture, webhookHeaders } from '../../fixtures/shopify/helpers.js';

let db: TestDb;
let ctx: AppContext;
let storeId: string;
let workers: Worker[] = [];
const workerConn = createRedis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker');

beforeAll(async () => {
  db = await createTestDb();
  ctx = await createTestContext(db, SHOPIFY_ENV);
  const install = await completeShopifyInstall(ctx.db, ctx.encryptionKey, { shop: SHOP, accessToken: 'shpat_x', scope: 'read_orders', apiVersion: API_VERSION });
  storeId = install.store.id;
  await connectRedis(workerConn, ctx.config.REDIS_URL);
  workers = startWorkers(jobCatalog, { 'commerce.webhook': commerceWebhookHandler(ctx) }, workerConn, {
    prefix: ctx.config.QUEUE_PREFIX,
    logger: ctx.logger,
  });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  workerConn.disconnect();
  await ctx.close();
  await db.close();
});

const app = () => createApp(ctx, routeModules(ctx));

async function deliver(topic: string, body: unknown, opts: { webhookId?: string; hmac?: string; secret?: string; shop?: string; raw?: string } = {}) {
  const raw = opts.raw ?? JSON.stringify(body);
  const headers = webhookHeaders(raw, { topic, ...opts });
  return { res: await supertest(app()).post('/webhooks/shopify').set(headers).send(raw), webhookId: headers['x-shopify-webhook-id'] };
}

/** Waits for the worker to finish the event recorded under this webhook id. */
async function processed(webhookId: string, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ev = await ctx.db('inbound_events').where({ source: 'shopify', idempotency_key: webhookId }).first();
    if (ev && ['processed', 'skipped', 'dead'].includes(ev.status)) return ev;
    if (Date.now() > until) throw new Error(`event ${webhookId} not processed (status ${ev?.status})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('POST /webhooks/shopify: verification', () => {
  it('accepts a correctly signed delivery and records it for the worker', async () => {
    const { res, webhookId } = await deliver('orders/create', fixture('webhooks/orders-create.json'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'accepted' });
    expect(await processed(webhookId)).toMatchObject({ status: 'processed', event_type: 'orders/create', store_id: storeId });
  });

  it.each(['orders/create', 'customers/data_request', 'customers/redact', 'shop/redact'])('answers 401 to a bad HMAC on %s and keeps nothing', async (topic) => {
    const { res, webhookId } = await deliver(topic, { shop_domain: SHOP }, { secret: 'not-the-app-secret' });
    expect(res.status).toBe(401);
    expect(await ctx.db('inbound_events').where({ idempotency_key: webhookId })).toHaveLength(0);
  });

  it('answers 401 without the HMAC header and 400 without the webhook id', async () => {
    const raw = JSON.stringify({ id: 1 });
    const noHmac = webhookHeaders(raw, { topic: 'orders/create' });
    delete (noHmac as Record<string, string | undefined>)['x-shopify-hmac-sha256'];
    expect((await supertest(app()).post('/webhooks/shopify').set(noHmac).send(raw)).status).toBe(401);
    const noId = webhookHeaders(raw, { topic: 'orders/create' });
    delete (noId as Record<string, string | undefined>)['x-shopify-webhook-id'];
    const res = await supertest(app()).post('/webhooks/shopify').set(noId).send(raw);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('x-shopify-webhook-id');
  });

  it('accepts the previous secret during a rotation', async () => {
    const rotating = await createTestContext(db, { ...SHOPIFY_ENV, SHOPIFY_API_SECRET: 'new-secret', SHOPIFY_API_SECRET_PREVIOUS: SHOPIFY_ENV.SHOPIFY_API_SECRET });
    try {
      const raw = JSON.stringify({ id: 1, name: '#1' });
      const res = await supertest(createApp(rotating, routeModules(rotating))).post('/webhooks/shopify').set(webhookHeaders(raw, { topic: 'shop/update' })).send(raw);
      expect(res.status).toBe(200);
    } finally {
      await rotating.close();
    }
  });

  it('answers 404 when the Shopify app is not configured', async () => {
    const bare = await createTestContext(db, {});
    try {
      const raw = '{}';
      const res = await supertest(createApp(bare, routeModules(bare))).post('/webhooks/shopify').set(webhookHeaders(raw, { topic: 'orders/create' })).send(raw);
      expect(res.status).toBe(404);
    } finally {
      await bare.close();
    }
  });

  it('acknowledges a shop we do not know without storing anything', async () => {
    const { res, webhookId } = await deliver('orders/create', fixture('webhooks/orders-create.json'), { shop: 'stranger.myshopify.com' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ignored');
    expect(await ctx.db('inbound_events').where({ idempotency_key: webhookId })).toHaveLength(0);
  });

  it('keeps a signed but malformed body as a dead letter and answers 400', async () => {
    const { res, webhookId } = await deliver('orders/create', null, { raw: '{"id": 12,' });
    expect(res.status).toBe(400);
    expect(await ctx.db('inbound_events').where({ idempotency_key: webhookId }).first()).toMatchObject({ status: 'dead' });
  });
});

describe('POST /webhooks/shopify: processing', () => {
  it('processes a duplicate webhook id once', async () => {
    const body = { ...fixture('webhooks/orders-create.json'), updated_at: '2026-11-21T09:00:00-05:00' };
    const first = await deliver('orders/updated', body, { webhookId: 'dup-webhook-1' });
    const second = await deliver('orders/updated', body, { webhookId: 'dup-webhook-1' });
    expect([first.res.body.status, second.res.body.status]).toEqual(['accepted', 'duplicate']);
    const ev = await processed('dup-webhook-1');
    expect(await ctx.db('inbound_events').where({ idempotency_key: 'dup-webhook-1' })).toHaveLength(1);
    expect(ev.attempts).toBe(1);
    const jobs = await ctx.queues.queue('commerce.webhook').getJobs(['completed', 'waiting', 'active', 'delayed']);
    expect(jobs.filter((j) => j.data.inboundEventId === ev.id)).toHaveLength(1);
  });

  it('keeps the order cache fresh from order webhooks, never going back to an older version', async () => {
    const order = await ctx.db('orders').where({ store_id: storeId, order_number: '#1003' }).first();
    expect(order).toMatchObject({ email: 'sam.lee@example.com', status: 'paid', external_id: 'gid://shopify/Order/5003' });
    const older = { ...fixture('webhooks/orders-create.json'), updated_at: '2026-11-21T07:00:00-05:00', financial_status: 'refunded' };
    const { webhookId } = await deliver('orders/updated', older);
    await processed(webhookId);
    expect((await ctx.db('orders').where({ id: order.id }).first()).status).toBe('paid');
  });

  it('adds tracking number, carrier and in-transit state from fulfillments/create', async () => {
    const { webhookId } = await deliver('fulfillments/create', fixture('webhooks/fulfillments-create.json'));
    await processed(webhookId);
    const order = await ctx.db('orders').where({ store_id: storeId, order_number: '#1003' }).first();
    expect(order.status).toBe('in_transit');
    expect(order.tracking_numbers).toEqual(['9400111899223197428490']);
    expect(order.fulfillments[0]).toMatchObject({ carrier: 'USPS', id: 'gid://shopify/Fulfillment/8101' });

    const delivered = { ...fixture('webhooks/fulfillments-create.json'), shipment_status: 'delivered', updated_at: '2026-11-24T10:00:00-05:00' };
    await processed((await deliver('fulfillments/update', delivered)).webhookId);
    const after = await ctx.db('orders').where({ id: order.id }).first();
    expect(after.status).toBe('delivered');
    expect(after.fulfillments).toHaveLength(1);
  });

  it('keeps an unusable order payload as a dead letter without retrying it', async () => {
    const { res, webhookId } = await deliver('orders/create', { id: 77 });
    expect(res.status).toBe(200);
    const ev = await processed(webhookId);
    expect(ev).toMatchObject({ status: 'dead', attempts: 1 });
    expect(ev.error).toMatch(/malformed orders\/create payload/);
  });

  it('app/uninstalled revokes the token and stops automation for the store', async () => {
    const { res, webhookId } = await deliver('app/uninstalled', fixture('webhooks/app-uninstalled.json'));
    expect(res.status).toBe(200);
    await processed(webhookId);
    expect(await ctx.db('connector_credentials').where({ store_id: storeId })).toHaveLength(0);
    expect(await ctx.db('shopify_sessions').where({ shop: SHOP })).toHaveLength(0);
    const store = await findStore(ctx.db, storeId);
    expect(store?.status).toBe('uninstalled');
    await expect(getCommerceConnector(ctx, store!)).rejects.toBeInstanceOf(PermanentError);
  });
});
