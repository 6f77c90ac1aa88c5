import nock from 'nock';
import supertest from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { shopifyAuthRouter } from '../../../src/http/shopify-auth.js';
import { findApiKey } from '../../../src/security/api-keys.js';
import { loadCredentials } from '../../../src/store/credentials.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { APP_KEY, PUBLIC_URL, SHOP, SHOPIFY_ENV, fixture, mockAdminApi, signedQuery } from '../../fixtures/shopify/helpers.js';

let db: TestDb;
let ctx: AppContext;
let clock = Date.now();

beforeAll(async () => {
  db = await createTestDb();
  ctx = await createTestContext(db, SHOPIFY_ENV);
});
afterAll(async () => {
  await ctx.close();
  await db.close();
});
afterEach(() => nock.cleanAll());

const app = () => createApp(ctx, [{ path: '/shopify', router: shopifyAuthRouter(ctx, { now: () => clock }) }]);

/** Step 1 as a browser does it: the redirect to Shopify and the state cookie. */
async function begin(shop = SHOP) {
  const res = await supertest(app()).get(`/shopify/auth?shop=${shop}`);
  expect(res.status).toBe(302);
  const location = new URL(res.headers.location as string);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0] ?? '';
  return { location, state: location.searchParams.get('state') ?? '', cookie: setCookie.split(';')[0] ?? '' };
}

const callbackQuery = (state: string, over: Record<string, string> = {}) =>
  signedQuery({ code: 'auth-code-1', host: 'YWNtZS5teXNob3BpZnkuY29tL2FkbWlu', shop: SHOP, state, timestamp: String(Math.floor(Date.now() / 1000)), ...over });

function mockInstallCalls() {
  const token = nock(`https://${SHOP}`)
    .post('/admin/oauth/access_token', (b: Record<string, string>) => b.client_id === APP_KEY && b.code === 'auth-code-1' && Boolean(b.client_secret))
    .reply(200, fixture('oauth/access-token.json'));
  const api = mockAdminApi().on('WebhookSubscriptionCreate', fixture('graphql/webhook-subscription-create.json'), { times: 5 });
  return { token, api };
}

describe('GET /shopify/auth', () => {
  it('redirects to the authorize page with our key, scopes, callback and a state bound to a cookie', async () => {
    const { location, state, cookie } = await begin();
    expect(location.origin + location.pathname).toBe(`https://${SHOP}/admin/oauth/authorize`);
    expect(location.searchParams.get('client_id')).toBe(APP_KEY);
    expect(location.searchParams.get('scope')).toContain('write_orders');
    expect(location.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/shopify/auth/callback`);
    expect(state).toMatch(/^[0-9a-f]{64}$/);
    expect(cookie).toMatch(/^shopify_oauth_state=/);
  });

  it('refuses a shop that is not a Shopify domain', async () => {
    const res = await supertest(app()).get('/shopify/auth?shop=evil.example.com');
    expect(res.status).toBe(400);
  });

  it('answers 404 with a clear message when the app is not configured', async () => {
    const bare = await createTestContext(db, {});
    try {
      const res = await supertest(createApp(bare, routeModules(bare))).get(`/shopify/auth?shop=${SHOP}`);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toMatch(/SHOPIFY_API_KEY/);
    } finally {
      await bare.close();
    }
  });
});

describe('GET /shopify/auth/callback', () => {
  it('installs: token stored encrypted, store created, webhooks registered, first API key shown once', async () => {
    const { state, cookie } = await begin();
    const { token, api } = mockInstallCalls();
    const res = await supertest(app()).get(`/shopify/auth/callback?${callbackQuery(state)}`).set('Cookie', cookie);
    expect(res.status).toBe(200);
    token.done();
    expect(api.count('WebhookSubscriptionCreate')).toBe(5);
    expect(api.calls.map((c) => c.variables.topic)).toEqual(['ORDERS_CREATE', 'ORDERS_UPDATED', 'FULFILLMENTS_CREATE', 'FULFILLMENTS_UPDATE', 'APP_UNINSTALLED']);
    expect(api.calls[0]?.variables.webhookSubscription).toEqual({ uri: `${PUBLIC_URL}/webhooks/shopify`, format: 'JSON' });
    expect(api.calls[0]?.token).toBe('shpat_0123456789abcdef0123456789abcdef');

    const store = await ctx.db('stores').where({ domain: SHOP }).first();
    expect(store).toMatchObject({ slug: 'acme', platform: 'shopify', status: 'active' });
    const creds = await loadCredentials(ctx.db, ctx.encryptionKey, store.id, 'shopify');
    expect(creds?.secrets.accessToken).toBe('shpat_0123456789abcdef0123456789abcdef');
    const session = await ctx.db('shopify_sessions').where({ id: `offline_${SHOP}` }).first();
    expect(session.store_id).toBe(store.id);
    expect(session.access_token_ciphertext).not.toContain('shpat_');
    const raw = await ctx.db('connector_credentials').where({ store_id: store.id }).first('ciphertext');
    expect(raw.ciphertext).not.toContain('shpat_');

    const key = /<code>(hsb_[^<]+)<\/code>/.exec(res.text)?.[1];
    expect(key).toBeDefined();
    expect((await findApiKey(ctx.db, key ?? ''))?.storeId).toBe(store.id);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses a bad HMAC before any call to Shopify', async () => {
    const { state, cookie } = await begin();
    const { token } = mockInstallCalls();
    const tampered = callbackQuery(state).replace('code=auth-code-1', 'code=auth-code-2');
    const res = await supertest(app()).get(`/shopify/auth/callback?${tampered}`).set('Cookie', cookie);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('invalid HMAC');
    expect(token.isDone()).toBe(false);
  });

  it('refuses a query signed more than 90 s ago', async () => {
    const { state, cookie } = await begin();
    const old = String(Math.floor(Date.now() / 1000) - 300);
    const res = await supertest(app()).get(`/shopify/auth/callback?${callbackQuery(state, { timestamp: old })}`).set('Cookie', cookie);
    expect(res.status).toBe(401);
  });

  it('refuses an expired state (the install took more than 10 minutes)', async () => {
    const { state, cookie } = await begin();
    const { token } = mockInstallCalls();
    clock += 11 * 60_000;
    try {
      const res = await supertest(app()).get(`/shopify/auth/callback?${callbackQuery(state)}`).set('Cookie', cookie);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/expired/);
      expect(token.isDone()).toBe(false);
    } finally {
      clock = Date.now();
    }
  });

  it.each([
    ['no state cookie', (_s: string, _c: string) => ({ state: _s, cookie: '' })],
    ['a state from another install', (_s: string, c: string) => ({ state: 'a'.repeat(64), cookie: c })],
    ['a forged cookie', (s: string, c: string) => ({ state: s, cookie: `${c.slice(0, -3)}xyz` })],
  ])('refuses %s', async (_label, tamper) => {
    const begun = await begin();
    const { state, cookie } = tamper(begun.state, begun.cookie);
    const res = await supertest(app()).get(`/shopify/auth/callback?${callbackQuery(state)}`).set('Cookie', cookie);
    expect(res.status).toBe(403);
  });

  it('reactivates the same store on reinstall, without a new API key', async () => {
    const store = await ctx.db('stores').where({ domain: SHOP }).first();
    await ctx.db('stores').where({ id: store.id }).update({ status: 'uninstalled' });
    const { state, cookie } = await begin();
    mockInstallCalls();
    const res = await supertest(app()).get(`/shopify/auth/callback?${callbackQuery(state)}`).set('Cookie', cookie);
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/hsb_/);
    const stores = await ctx.db('stores').where({ domain: SHOP });
    expect(stores).toHaveLength(1);
    expect(stores[0]).toMatchObject({ id: store.id, status: 'active' });
  });
});
