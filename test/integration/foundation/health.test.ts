import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { connectDb } from '../../../src/db/connect.js';
import { createApp } from '../../../src/http/app.js';
import { createRedis } from '../../../src/infra/redis.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';

describe('GET /health', () => {
  let db: TestDb;
  let ctx: AppContext;
  beforeAll(async () => {
    db = await createTestDb();
    ctx = await createTestContext(db);
  });
  afterAll(async () => {
    await ctx?.close();
    await db?.close();
  });

  it('answers 200 {"status":"ok"} when the database and Redis answer', async () => {
    const res = await supertest(createApp(ctx)).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers 503 naming Redis when Redis does not answer', async () => {
    // A producer connection to a closed port: what a web process sees when Redis goes away.
    const deadRedis = createRedis('redis://127.0.0.1:1', 'producer');
    try {
      const res = await supertest(createApp({ ...ctx, redis: deadRedis })).get('/health');
      expect(res.status).toBe(503);
      expect(res.body.failed).toEqual(['redis']);
      expect(res.body.database).toBe('ok');
    } finally {
      deadRedis.disconnect();
    }
  });

  it('answers 503 naming the database when it does not answer', async () => {
    // A pool pointed at a closed port: what the web process sees when Postgres goes away.
    const down = await connectDb({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none', dataDir: '' });
    try {
      const res = await supertest(createApp({ ...ctx, db: down.knex })).get('/health');
      expect(res.status).toBe(503);
      expect(res.body.failed).toEqual(['database']);
    } finally {
      await down.close();
    }
  });
});

describe('HTTP errors', () => {
  let db: TestDb;
  let ctx: AppContext;
  beforeAll(async () => {
    db = await createTestDb();
    ctx = await createTestContext(db, { BODY_LIMIT_BYTES: '2048' });
  });
  afterAll(async () => {
    await ctx?.close();
    await db?.close();
  });

  it('gives unknown routes a JSON 404 and a request id', async () => {
    const res = await supertest(createApp(ctx)).get('/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.status).toBe(404);
    expect(res.headers['x-request-id']).toMatch(/.+/);
  });

  it('answers 400 for malformed JSON and 413 for an oversized body', async () => {
    const app = createApp(ctx);
    const bad = await supertest(app).post('/anything').set('content-type', 'application/json').send('{"a":');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/malformed JSON/);
    const big = await supertest(app)
      .post('/anything')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ text: 'x'.repeat(5000) }));
    expect(big.status).toBe(413);
  });
});
