/**
 * /api/v1/stores/:storeId/connectors: a store admin connects Zendesk/Gorgias with their own
 * credentials, which are stored encrypted and never shown again; the helpdesk's webhooks then
 * reach that store. Real app, real database and Redis; vendor HTTP mocked with nock.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nock from 'nock';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { generateApiKey, saveApiKey } from '../../../src/security/api-keys.js';
import { createStore } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { createStoreWithKey } from '../../helpers/stores.js';

const API_TOKEN = 'zd-api-token-very-secret';
const WEBHOOK_SECRET = 'zd-signing-secret-very-secret';
const NOT_AUTHENTICATED = "Couldn't authenticate you";
const zendeskBody = {
  subdomain: 'shopone',
  email: 'bot@shopone.example',
  apiToken: API_TOKEN,
  webhookSecret: WEBHOOK_SECRET,
  botUserId: 900000000001,
  baseUrl: 'https://shopone-sandbox.zendesk.com',
};
const CONNECTORS = '/api/v1/stores/shop-one/connectors';

let testDb: TestDb;
let ctx: AppContext;
let app: ReturnType<typeof createApp>;
let admin: string;
let reader: string;
let otherAdmin: string;
let demoReader: string;

async function readKey(storeId: string): Promise<string> {
  const key = generateApiKey();
  await saveApiKey(ctx.db, { storeId, key, name: 'reader', permissions: ['read'] });
  return key;
}

beforeAll(async () => {
  testDb = await createTestDb();
  ctx = await createTestContext(testDb, {
    PUBLIC_URL: 'https://bot.example.com',
    GORGIAS_ACCOUNT: 'demoacct',
    GORGIAS_EMAIL: 'bot@demo.example',
    GORGIAS_API_KEY: 'demo-gorgias-key',
    GORGIAS_WEBHOOK_SECRET: 'demo-gorgias-secret-0123456789',
  });
  app = createApp(ctx, routeModules(ctx));
  const shopOne = await createStoreWithKey(ctx.db, 'shop-one', ['admin']);
  admin = shopOne.key;
  reader = await readKey(shopOne.store.id);
  otherAdmin = (await createStoreWithKey(ctx.db, 'shop-two', ['admin'])).key;
  demoReader = await readKey((await createStore(ctx.db, { slug: 'demo', name: 'Demo' })).id);
});

afterAll(async () => {
  nock.cleanAll();
  await ctx?.close();
  await testDb?.close();
});

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });

describe('connector credentials API', () => {
  it('stores Zendesk credentials encrypted, answers with meta and the webhook URL', async () => {
    const res = await request(app).put(`${CONNECTORS}/zendesk`).set(auth(admin)).send(zendeskBody);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      kind: 'zendesk',
      source: 'database',
      meta: {
        subdomain: 'shopone',
        authType: 'api_token',
        botUserId: '900000000001',
        baseUrl: zendeskBody.baseUrl,
      },
      webhookUrl: 'https://bot.example.com/webhooks/zendesk?store=shop-one',
    });
    const row = await ctx.db('connector_credentials').where({ kind: 'zendesk' }).first();
    for (const secret of [API_TOKEN, WEBHOOK_SECRET, 'bot@shopone.example']) {
      expect(row.ciphertext).not.toContain(secret);
      expect(JSON.stringify(row.meta)).not.toContain(secret);
    }
  });

  it('lists connections without any secret', async () => {
    const res = await request(app).get(CONNECTORS).set(auth(reader));
    expect(res.status).toBe(200);
    expect(res.body.connectors).toEqual([
      expect.objectContaining({
        kind: 'zendesk',
        source: 'database',
        meta: expect.objectContaining({ subdomain: 'shopone' }),
      }),
    ]);
    for (const secret of [API_TOKEN, WEBHOOK_SECRET]) {
      expect(JSON.stringify(res.body)).not.toContain(secret);
    }
  });

  it('shows the demo store’s env connection as source "environment", secrets hidden', async () => {
    const res = await request(app).get('/api/v1/stores/demo/connectors').set(auth(demoReader));
    expect(res.body.connectors).toEqual([
      expect.objectContaining({
        kind: 'gorgias',
        source: 'environment',
        meta: { account: 'demoacct', authType: 'api_key' },
      }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain('demo-gorgias');
  });

  it('refuses invalid credentials with 400 naming the fields', async () => {
    const res = await request(app)
      .put(`${CONNECTORS}/gorgias`)
      .set(auth(admin))
      .send({ account: 'shopone', email: 'x@y.example', apiKey: 'k', webhookSecret: 'short' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'webhookSecret' })]);
  });

  it('lets only an admin key of the same store write', async () => {
    const put = (key: string, kind = 'zendesk') =>
      request(app).put(`${CONNECTORS}/${kind}`).set(auth(key)).send(zendeskBody);
    expect((await put(reader)).status).toBe(403);
    expect((await request(app).get(CONNECTORS).set(auth(otherAdmin))).status).toBe(403);
    expect((await put(admin, 'freshdesk')).status).toBe(404);
  });

  it('routes signed Zendesk webhooks to the store with the stored secret', async () => {
    const res = await postSignedZendeskWebhook();
    expect(res.status).toBe(202);
    const key = 'zendesk:shopone:35436:9000000004';
    expect(await ctx.db('inbound_events').where({ idempotency_key: key }).first()).toBeDefined();
  });

  it('tests the credentials against the vendor (base URL override honoured)', async () => {
    const basic = Buffer.from(`bot@shopone.example/token:${API_TOKEN}`).toString('base64');
    const vendor = nock(zendeskBody.baseUrl, { reqheaders: { authorization: `Basic ${basic}` } })
      .get('/api/v2/users/me.json')
      .reply(200, { user: { id: 900000000001, role: 'agent' } })
      .get('/api/v2/users/me.json')
      .reply(401, { error: NOT_AUTHENTICATED });
    const check = () => request(app).post(`${CONNECTORS}/zendesk/test`).set(auth(admin));
    expect((await check()).body).toMatchObject({ kind: 'zendesk', ok: true });
    expect((await check()).body).toMatchObject({
      ok: false,
      message: expect.stringContaining(NOT_AUTHENTICATED),
    });
    vendor.done();
  });

  it('deletes a connection: gone from the list, webhooks answer 404', async () => {
    const del = () => request(app).delete(`${CONNECTORS}/zendesk`).set(auth(admin));
    expect((await del()).status).toBe(204);
    expect((await del()).status).toBe(404);
    const list = await request(app).get(CONNECTORS).set(auth(admin));
    expect(list.body.connectors).toEqual([]);
    // Zendesk keeps sending correctly signed webhooks until its admin removes the trigger.
    const hook = await postSignedZendeskWebhook();
    expect(hook.status).toBe(404);
    expect(hook.body.error.message).toBe('zendesk is not connected for this store');
  });
});

function postSignedZendeskWebhook() {
  const name = 'webhook-trigger-customer-comment.json';
  const raw = readFileSync(new URL(`../../fixtures/zendesk/${name}`, import.meta.url), 'utf8');
  const ts = new Date().toISOString();
  const signature = createHmac('sha256', WEBHOOK_SECRET).update(ts + raw).digest('base64');
  return request(app)
    .post('/webhooks/zendesk?store=shop-one')
    .set({
      'Content-Type': 'application/json',
      'X-Zendesk-Webhook-Signature': signature,
      'X-Zendesk-Webhook-Signature-Timestamp': ts,
    })
    .send(raw);
}
