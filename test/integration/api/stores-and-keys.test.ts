/**
 * Store configuration (GET/PATCH /stores/:storeId, validated settings) and API keys (create
 * shown once, list, revoke) with their permissions.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyListSchema, createdApiKeySchema, storeSchema } from '../../../src/api/schemas/stores.js';
import type { AppContext } from '../../../src/app/context.js';
import { defaultSettings } from '../../../src/domain/settings.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { saveCredentials } from '../../../src/store/credentials.js';
import type { Store } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { createStoreWithKey } from '../../helpers/stores.js';
import { addKey, auth } from './api-helpers.js';

let testDb: TestDb;
let ctx: AppContext;
let app: ReturnType<typeof createApp>;
let shop: Store;
let admin: string;
let writer: string;
let reader: string;
let otherAdmin: string;

beforeAll(async () => {
  testDb = await createTestDb();
  ctx = await createTestContext(testDb);
  app = createApp(ctx, routeModules(ctx));
  ({ store: shop, key: admin } = await createStoreWithKey(ctx.db, 'acme', ['admin']));
  writer = await addKey(ctx.db, shop.id, ['write']);
  reader = await addKey(ctx.db, shop.id, ['read']);
  otherAdmin = (await createStoreWithKey(ctx.db, 'globex', ['admin'])).key;
  await saveCredentials(ctx.db, ctx.encryptionKey, { storeId: shop.id, kind: 'zendesk', secrets: { apiToken: 'zd-super-secret-token' }, meta: { subdomain: 'acme' } });
});

afterAll(async () => {
  await ctx?.close();
  await testDb?.close();
});

const patch = (body: unknown, key = admin, store = 'acme') => request(app).patch(`/api/v1/stores/${store}`).set(auth(key)).send(body as object);

describe('GET /stores/:storeId', () => {
  it('answers the store by slug or id, with full settings and connector meta, never secrets', async () => {
    for (const id of ['acme', shop.id]) {
      const res = await request(app).get(`/api/v1/stores/${id}`).set(auth(reader));
      expect(res.status).toBe(200);
      const body = storeSchema.parse(res.body);
      expect(body).toMatchObject({ id: shop.id, slug: 'acme', status: 'active', settings: defaultSettings() });
      expect(body.connectors).toEqual([{ kind: 'zendesk', meta: { subdomain: 'acme' }, updated_at: expect.any(String) }]);
      expect(JSON.stringify(res.body)).not.toContain('zd-super-secret-token');
    }
  });

  it("403 for another store's id or slug, 401 without a key", async () => {
    expect((await request(app).get('/api/v1/stores/globex').set(auth(reader))).status).toBe(403);
    expect((await request(app).get(`/api/v1/stores/${shop.id}`).set(auth(otherAdmin))).status).toBe(403);
    expect((await request(app).get('/api/v1/stores/acme')).status).toBe(401);
  });
});

describe('PATCH /stores/:storeId', () => {
  it("deep-merges the seed's example onto the settings and answers the full store", async () => {
    const res = await patch({ settings: { auto_refund_limit: 50.0, escalation_threshold: 0.7, modes: { order_status: 'auto' } } });
    expect(res.status).toBe(200);
    const body = storeSchema.parse(res.body);
    expect(body.settings).toMatchObject({ auto_refund_limit: 50, escalation_threshold: 0.7, modes: { default: 'draft', order_status: 'auto' } });
    const next = await patch({ settings: { modes: { cancel_order: 'off' }, business_hours: { enabled: true, timezone: 'Europe/Paris' } } });
    expect(next.body.settings.modes).toEqual({ default: 'draft', order_status: 'auto', cancel_order: 'off' });
    expect(next.body.settings.business_hours).toMatchObject({ enabled: true, timezone: 'Europe/Paris', start: '09:00', days: [1, 2, 3, 4, 5] });
    expect(next.body.settings.escalation_threshold).toBe(0.7);
    const stored = await ctx.db('stores').where({ id: shop.id }).first('settings');
    expect(stored.settings.modes.cancel_order).toBe('off');
  });

  it('null resets a field to its default; arrays are replaced', async () => {
    const res = await patch({ settings: { escalation_threshold: null, modes: { order_status: null }, business_hours: { days: [6] } } });
    expect(res.body.settings.escalation_threshold).toBe(0.4);
    expect(res.body.settings.modes).toEqual({ default: 'draft', cancel_order: 'off' });
    expect(res.body.settings.business_hours.days).toEqual([6]);
  });

  it.each([
    [{ settings: { confidence_threshold: 1.5 } }, 'settings.confidence_threshold'],
    [{ settings: { modes: { order_status: 'sometimes' } } }, 'settings.modes.order_status'],
    [{ settings: { business_hours: { start: '9am' } } }, 'settings.business_hours.start'],
    [{ settings: { escalation: { email: { forwardTo: 'not-an-address' } } } }, 'settings.escalation.email.forwardTo'],
    [{ settings: { auto_refund_limit: '50' } }, 'settings.auto_refund_limit'],
    [{ settings: { autoRefundLimit: 50 } }, 'settings.autoRefundLimit'],
    [{ settings: { modes: { weather: 'auto' } } }, 'settings.modes.weather'],
    [{ settings: 'auto' }, 'settings'],
    [{}, 'settings'],
    [{ settings: {}, name: 'New name' }, ''],
  ])('400 for %j naming %s, nothing saved', async (body, path) => {
    const before = (await ctx.db('stores').where({ id: shop.id }).first('settings')).settings;
    const res = await patch(body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect((await ctx.db('stores').where({ id: shop.id }).first('settings')).settings).toEqual(before);
  });

  it('a "__proto__" key pollutes nothing and is not saved', async () => {
    const before = (await ctx.db('stores').where({ id: shop.id }).first('settings')).settings;
    const raw = '{"settings": {"__proto__": {"polluted": true}, "business_hours": {"__proto__": {"polluted": true}}}}';
    const res = await request(app).patch('/api/v1/stores/acme').set(auth(admin)).set('Content-Type', 'application/json').send(raw);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['settings.__proto__', 'settings.business_hours.__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await ctx.db('stores').where({ id: shop.id }).first('settings')).settings).toEqual(before);
  });

  it("403 for a write key and for another store's admin; the settings stay", async () => {
    expect((await patch({ settings: { auto_refund_limit: 1 } }, writer)).status).toBe(403);
    expect((await patch({ settings: { auto_refund_limit: 1 } }, otherAdmin)).status).toBe(403);
    expect((await ctx.db('stores').where({ id: shop.id }).first('settings')).settings.auto_refund_limit).toBe(50);
  });
});

describe('API keys', () => {
  const keys = (store = 'acme', key = admin) => request(app).get(`/api/v1/stores/${store}/api-keys`).set(auth(key));

  it('creates a key shown once; it works with exactly its permissions; the list never shows it', async () => {
    const res = await request(app).post('/api/v1/stores/acme/api-keys').set(auth(admin)).send({ name: 'Widget backend', permissions: ['read', 'write', 'write'] });
    expect(res.status).toBe(201);
    const created = createdApiKeySchema.parse(res.body);
    expect(created).toMatchObject({ name: 'Widget backend', permissions: ['read', 'write'], prefix: created.key.slice(0, 8) });
    const row = await ctx.db('api_keys').where({ id: created.id }).first();
    expect(JSON.stringify(row)).not.toContain(created.key);

    expect((await request(app).get('/api/v1/conversations').set(auth(created.key))).status).toBe(200);
    expect((await patch({ settings: {} }, created.key)).status).toBe(403);

    const list = await keys();
    expect(list.status).toBe(200);
    const body = apiKeyListSchema.parse(list.body);
    expect(body.data.find((k) => k.id === created.id)).toMatchObject({ name: 'Widget backend', revoked_at: null });
    expect(JSON.stringify(list.body)).not.toContain(created.key);
    expect(JSON.stringify(list.body)).not.toContain('key_hash');
  });

  it('revokes a key (then 401); revoking twice is fine; a key cannot revoke itself', async () => {
    const created = (await request(app).post('/api/v1/stores/acme/api-keys').set(auth(admin)).send({ name: 'temp', permissions: ['admin'] })).body;
    expect((await request(app).delete(`/api/v1/stores/acme/api-keys/${created.id}`).set(auth(admin))).status).toBe(204);
    const denied = await request(app).get('/api/v1/stores/acme').set(auth(created.key));
    expect(denied.status).toBe(401);
    expect((await request(app).delete(`/api/v1/stores/acme/api-keys/${created.id}`).set(auth(admin))).status).toBe(204);
    expect((await keys()).body.data.find((k: { id: string }) => k.id === created.id).revoked_at).not.toBeNull();

    const other = (await request(app).post('/api/v1/stores/acme/api-keys').set(auth(admin)).send({ name: 'self', permissions: ['admin'] })).body;
    const self = await request(app).delete(`/api/v1/stores/acme/api-keys/${other.id}`).set(auth(other.key));
    expect(self.status).toBe(409);
  });

  it.each([
    [{ name: 'x', permissions: ['root'] }],
    [{ name: 'x', permissions: [] }],
    [{ permissions: ['read'] }],
    [{ name: '', permissions: ['read'] }],
    [{ name: 'x', permissions: ['read'], key: 'choose-my-own' }],
  ])('400 for %j', async (body) => {
    expect((await request(app).post('/api/v1/stores/acme/api-keys').set(auth(admin)).send(body)).status).toBe(400);
  });

  it("403 below admin and for another store; 404 for another store's key id", async () => {
    expect((await request(app).post('/api/v1/stores/acme/api-keys').set(auth(writer)).send({ name: 'x', permissions: ['admin'] })).status).toBe(403);
    expect((await keys('acme', writer)).status).toBe(403);
    expect((await keys('acme', otherAdmin)).status).toBe(403);
    const mine = (await keys()).body.data[0].id;
    expect((await request(app).delete(`/api/v1/stores/acme/api-keys/${mine}`).set(auth(otherAdmin))).status).toBe(403);
    expect((await request(app).delete(`/api/v1/stores/globex/api-keys/${mine}`).set(auth(otherAdmin))).status).toBe(404);
    expect((await request(app).delete('/api/v1/stores/acme/api-keys/not-a-uuid').set(auth(admin))).status).toBe(404);
    expect((await ctx.db('api_keys').where({ id: mine }).first()).revoked_at).toBeNull();
  });
});
