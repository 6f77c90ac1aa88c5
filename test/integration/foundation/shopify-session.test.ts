import { createHmac } from 'node:crypto';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { createStore } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';

const API_KEY = 'shopify-app-key';
const SECRET = 'shopify-app-secret';

/** An App Bridge session token as Shopify signs it (HS256 JWT). */
function sessionToken(shop: string, over: Record<string, unknown> = {}, secret = SECRET): string {
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const header = enc({ alg: 'HS256', typ: 'JWT' });
  const payload = enc({ iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: API_KEY, sub: '42', exp: now + 60, nbf: now - 5, iat: now - 5, jti: 'x', sid: 'y', ...over });
  const sig = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${sig}`;
}

describe('dashboard inside Shopify admin: App Bridge session tokens', () => {
  let db: TestDb;
  let ctx: AppContext;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    db = await createTestDb();
    ctx = await createTestContext(db, { SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_SECRET: SECRET });
    await createStore(db.knex, { slug: 'acme', name: 'Acme', platform: 'shopify', domain: 'acme.myshopify.com' });
    await createStore(db.knex, { slug: 'other', name: 'Other', platform: 'shopify', domain: 'other.myshopify.com' });
    app = createApp(ctx, routeModules(ctx));
  });
  afterAll(async () => {
    await ctx?.close();
    await db?.close();
  });

  it("lets a valid token act on its own shop's store", async () => {
    const res = await supertest(app).get('/api/v1/me').set('Authorization', `Bearer ${sessionToken('acme.myshopify.com')}`);
    expect(res.status).toBe(200);
    expect(res.body.store.slug).toBe('acme');
    const own = await supertest(app).get('/api/v1/stores/acme').set('Authorization', `Bearer ${sessionToken('acme.myshopify.com')}`);
    expect(own.status).toBe(200);
    const other = await supertest(app).get('/api/v1/stores/other').set('Authorization', `Bearer ${sessionToken('acme.myshopify.com')}`);
    expect(other.status).toBe(403);
  });

  it.each([
    ['a wrong signature', sessionToken('acme.myshopify.com', {}, 'not-the-secret')],
    ['an expired token', sessionToken('acme.myshopify.com', { exp: Math.floor(Date.now() / 1000) - 600 })],
    ['another app', sessionToken('acme.myshopify.com', { aud: 'someone-else' })],
    ['a shop that never installed the app', sessionToken('stranger.myshopify.com')],
  ])('refuses %s with 401', async (_what, token) => {
    const res = await supertest(app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
  });
});
