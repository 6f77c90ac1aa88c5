import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { bootstrapDemoStore, demoDataDir } from '../../../src/bootstrap/demo-store.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { createLogger } from '../../../src/logger.js';
import { saveApiKey } from '../../../src/security/api-keys.js';
import { findStore } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { createStoreWithKey } from '../../helpers/stores.js';

const BOOTSTRAP_KEY = 'trial-key-0123456789abcdef';

async function counts(db: TestDb) {
  const out: Record<string, number> = {};
  for (const t of ['stores', 'customers', 'orders', 'products', 'policy_documents', 'policy_chunks', 'api_keys']) {
    const [row] = await db.knex(t).count({ n: '*' });
    out[t] = Number(row?.n);
  }
  return out;
}

describe('demo store bootstrap', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => db?.close());

  it('loads the demo catalogue once; restarting loads nothing twice', async () => {
    const logger = createLogger('silent');
    const first = await bootstrapDemoStore(db.knex, { dataDir: demoDataDir(), logger, bootstrapApiKey: BOOTSTRAP_KEY });
    expect(first.created).toBe(true);
    const after1 = await counts(db);
    expect(after1).toMatchObject({ stores: 1, customers: 500, orders: 1000, products: 50, policy_documents: 1 });
    expect(after1.policy_chunks).toBeGreaterThan(5);

    const second = await bootstrapDemoStore(db.knex, { dataDir: demoDataDir(), logger, bootstrapApiKey: BOOTSTRAP_KEY });
    expect(second.created).toBe(false);
    expect(await counts(db)).toEqual(after1);
  });

  it('maps orders to customers with their email and real tracking numbers', async () => {
    const order = await db.knex('orders').where({ order_number: '#W2611340' }).first();
    expect(order.status).toBe('in_transit'); // τ-bench "processed": shipped, with tracking
    expect(order.tracking_numbers).toEqual(['357962501027']);
    const customer = await db.knex('customers').where({ id: order.customer_id }).first();
    expect(customer.external_id).toBe('james_li_5688');
    expect(order.email).toBe(customer.email);
  });

  it('prints a generated key once when no BOOTSTRAP_API_KEY is set', async () => {
    const other = await createTestDb();
    try {
      const r = await bootstrapDemoStore(other.knex, { dataDir: demoDataDir(), logger: createLogger('silent') });
      expect(r.printedKey).toMatch(/^hsb_/);
      const again = await bootstrapDemoStore(other.knex, { dataDir: demoDataDir(), logger: createLogger('silent') });
      expect(again.printedKey).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});

describe('API-key authentication', () => {
  let db: TestDb;
  let ctx: AppContext;
  let app: ReturnType<typeof createApp>;
  let storeA: { store: { id: string; slug: string }; key: string };
  let storeB: { store: { id: string; slug: string }; key: string };
  beforeAll(async () => {
    db = await createTestDb();
    ctx = await createTestContext(db);
    app = createApp(ctx, routeModules(ctx));
    storeA = await createStoreWithKey(db.knex, 'store-a');
    storeB = await createStoreWithKey(db.knex, 'store-b');
  });
  afterAll(async () => {
    await ctx?.close();
    await db?.close();
  });

  it('answers 401 without a key, with an unknown key, and with a revoked key', async () => {
    expect((await supertest(app).get(`/api/v1/stores/${storeA.store.id}`)).status).toBe(401);
    const unknown = await supertest(app).get(`/api/v1/stores/${storeA.store.id}`).set('Authorization', 'Bearer hsb_nope');
    expect(unknown.status).toBe(401);
    await db.knex('api_keys').where({ store_id: storeA.store.id }).update({ revoked_at: db.knex.fn.now() });
    const revoked = await supertest(app).get(`/api/v1/stores/${storeA.store.id}`).set('Authorization', `Bearer ${storeA.key}`);
    expect(revoked.status).toBe(401);
    await db.knex('api_keys').where({ store_id: storeA.store.id }).update({ revoked_at: null });
  });

  it("answers 403 for another store's data and never returns it", async () => {
    for (const ref of [storeB.store.id, storeB.store.slug]) {
      const res = await supertest(app).get(`/api/v1/stores/${ref}`).set('Authorization', `Bearer ${storeA.key}`);
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain(storeB.store.id);
    }
  });

  it('lets a key read its own store by id or slug, without credentials in the answer', async () => {
    for (const ref of [storeA.store.id, storeA.store.slug]) {
      const res = await supertest(app).get(`/api/v1/stores/${ref}`).set('Authorization', `Bearer ${storeA.key}`);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(storeA.store.id);
      expect(res.body.settings.confidence_threshold).toBeTypeOf('number');
    }
  });

  it('stores only a hash of the key', async () => {
    const rows = await db.knex('api_keys').select('key_hash', 'prefix');
    for (const r of rows) {
      expect(r.key_hash).not.toContain(storeA.key);
      expect(r.key_hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it.each(['%00', '\u0000', 'x'.repeat(300), "demo' or 1=1--"])('treats a junk store reference (%s) as no store, not an error', async (ref) => {
    expect(await findStore(db.knex, ref)).toBeNull();
    const res = await supertest(app).post(`/webhooks/email/postmark?store=${encodeURIComponent(ref)}`).set('content-type', 'application/json').send('{}');
    expect(res.status).toBeLessThan(500);
  });

  it('makes BOOTSTRAP_API_KEY a valid admin key of its store', async () => {
    await saveApiKey(db.knex, { storeId: storeB.store.id, key: BOOTSTRAP_KEY, name: 'bootstrap', permissions: ['admin'] });
    const res = await supertest(app).get(`/api/v1/stores/store-b`).set('Authorization', `Bearer ${BOOTSTRAP_KEY}`);
    expect(res.status).toBe(200);
  });
});
