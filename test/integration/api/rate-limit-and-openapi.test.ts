/**
 * Per-key rate limiting in Redis (429 + Retry-After; open when Redis is down) and the OpenAPI
 * document: served without a key, and every documented operation exists and wants its key.
 */
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../../src/api/openapi-operations.js';
import type { AppContext } from '../../../src/app/context.js';
import { createApp } from '../../../src/http/app.js';
import { errorHandler } from '../../../src/http/middleware/errors.js';
import { rateLimitPerKey } from '../../../src/http/middleware/rate-limit.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { createLogger } from '../../../src/logger.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { createStoreWithKey } from '../../helpers/stores.js';
import { addKey, auth } from './api-helpers.js';

let testDb: TestDb;
let ctx: AppContext;
let storeId: string;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  testDb = await createTestDb();
  ctx = await createTestContext(testDb, { API_RATE_LIMIT_PER_MIN: '3' });
  const s = await createStoreWithKey(ctx.db, 'limited', ['admin']);
  storeId = s.store.id;
  keyA = s.key;
  keyB = await addKey(ctx.db, storeId, ['read']);
});

afterAll(async () => {
  await ctx?.close();
  await testDb?.close();
});

/** Keeps a burst inside one minute window (the limit is a fixed window per minute). */
async function awayFromWindowEdge(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5000) await new Promise((r) => setTimeout(r, left + 100));
}

describe('rate limiting per API key', () => {
  it('answers 429 with Retry-After after the limit; other keys keep their own budget', async () => {
    const app = createApp(ctx, routeModules(ctx));
    await awayFromWindowEdge();
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ok = await request(app).get('/api/v1/conversations').set(auth(keyA));
      expect(ok.status).toBe(200);
      remaining.push(String(ok.headers['ratelimit-remaining']));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await request(app).post('/api/v1/conversations').set(auth(keyA)).send({ initial_message: 'hi' });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body).toEqual({ error: { status: 429, message: 'rate limit exceeded: 3 requests per minute for this API key' } });
    expect(await ctx.db('conversations').count({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(0); // nothing ran
    expect((await request(app).get(`/api/v1/stores/${storeId}`).set(auth(keyB))).status).toBe(200);
  });

  it('opens the next window after Retry-After (fixed one-minute windows, counted in Redis)', async () => {
    let now = Date.UTC(2026, 0, 1, 12, 0, 30);
    const limiter = rateLimitPerKey({ redis: ctx.redis, prefix: ctx.config.QUEUE_PREFIX, limitPerMinute: 2, logger: ctx.logger, now: () => now });
    const app = express();
    app.use((req, _res, next) => {
      req.apiKey = { id: 'clock-key', storeId, name: 't', prefix: 'p', permissions: ['read'] };
      next();
    });
    app.get('/', limiter, (_req, res) => void res.json({ ok: true }));
    app.use(errorHandler(createLogger('silent')));
    expect((await request(app).get('/')).status).toBe(200);
    expect((await request(app).get('/')).status).toBe(200);
    const limited = await request(app).get('/');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('30');
    now += 30_000; // the next minute
    expect((await request(app).get('/')).status).toBe(200);
  });

  it('lets requests through when Redis is down (fail open)', async () => {
    const down = await createTestContext(testDb, { API_RATE_LIMIT_PER_MIN: '1' });
    down.redis.disconnect();
    const app = createApp(down, routeModules(down));
    for (let i = 0; i < 3; i++) expect((await request(app).get('/api/v1/conversations').set(auth(keyB))).status).toBe(200);
    await down.close();
  });
});

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document with bearer auth, served without a key', async () => {
    const app = createApp(ctx, routeModules(ctx));
    const res = await request(app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer', description: expect.any(String) });
    const create = res.body.paths['/api/v1/conversations'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(['initial_message']);
    expect(create.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/TurnResult' });
    expect(Object.keys(create.responses).sort()).toEqual(['201', '400', '401', '403', '409', '413', '429']);
  });

  it.each(operations.filter((o) => o.permission).map((o) => [o.method.toUpperCase(), o.path, o] as const))(
    'documented %s %s exists and answers 401 without a key',
    async (_m, _p, op) => {
      const app = createApp(ctx, routeModules(ctx));
      const path = op.path.replace(/:(\w+)/g, (_x, name: string) => (name === 'storeId' ? 'limited' : name === 'kind' ? 'zendesk' : '00000000-0000-4000-8000-000000000000'));
      const res = await request(app)[op.method](path).send({});
      expect(res.status).toBe(401);
    },
  );
});
