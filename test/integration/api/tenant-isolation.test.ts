/**
 * Two stores, every endpoint of the REST API: store B's admin key aimed at store A's resources
 * gets 403 (store routes) or 404 (ids), never A's data, and A's rows are left as they were.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { createStoreWithKey } from '../../helpers/stores.js';
import { auth, insertConversation } from './api-helpers.js';

let testDb: TestDb;
let ctx: AppContext;
let app: ReturnType<typeof createApp>;
let keyB: string;
const A: Record<string, string> = {};
let snapshot: string;

const SECRET_TEXT = 'store-a-private-message';

async function snapshotA(): Promise<string> {
  const tables = ['stores', 'api_keys', 'conversations', 'messages', 'actions'];
  const rows = await Promise.all(
    tables.map((t) => ctx.db(t).where(t === 'stores' ? { id: A.store } : { store_id: A.store }).orderBy('id').select('*')),
  );
  return JSON.stringify(rows);
}

beforeAll(async () => {
  testDb = await createTestDb();
  ctx = await createTestContext(testDb);
  app = createApp(ctx, routeModules(ctx));
  const a = await createStoreWithKey(ctx.db, 'tenant-a', ['admin']);
  const b = await createStoreWithKey(ctx.db, 'tenant-b', ['admin']);
  A.store = a.store.id;
  keyB = b.key;
  A.key = (await ctx.db('api_keys').where({ store_id: A.store }).first('id')).id;
  A.conversation = await insertConversation(ctx.db, {
    storeId: A.store,
    createdAt: new Date().toISOString(),
    intent: 'cancel_order',
    orderNumber: '#W7777777',
    messages: [{ role: 'user', content: SECRET_TEXT }],
    turns: [{ outcome: 'draft' }],
  });
  const [draft] = await ctx.db('messages')
    .insert({ store_id: A.store, conversation_id: A.conversation, role: 'assistant', content: `${SECRET_TEXT} draft`, delivery: 'draft', status: 'pending_approval' })
    .returning('id');
  A.draft = draft.id;
  const [action] = await ctx.db('actions')
    .insert({ store_id: A.store, conversation_id: A.conversation, action_type: 'cancel_order', order_number: '#W7777777', status: 'awaiting_approval', idempotency_key: 'tenant-a-action' })
    .returning('id');
  A.action = action.id;
  snapshot = await snapshotA();
});

afterAll(async () => {
  await ctx?.close();
  await testDb?.close();
});

type Case = [method: 'get' | 'post' | 'patch' | 'delete', path: () => string, status: number, body?: object];

const cases: Case[] = [
  ['get', () => `/api/v1/conversations/${A.conversation}`, 404],
  ['post', () => `/api/v1/conversations/${A.conversation}/messages`, 404, { content: 'hello' }],
  ['post', () => `/api/v1/conversations/${A.conversation}/escalate`, 404, { reason: 'x' }],
  ['post', () => `/api/v1/conversations/${A.conversation}/resolve`, 404, { resolution_summary: 'x', csat_score: 1 }],
  ['post', () => `/api/v1/messages/${A.draft}/approve`, 404, { content: 'hijacked' }],
  ['post', () => `/api/v1/messages/${A.draft}/reject`, 404, {}],
  ['post', () => `/api/v1/actions/${A.action}/approve`, 404, {}],
  ['post', () => `/api/v1/actions/${A.action}/reject`, 404, { reason: 'x' }],
  ['get', () => '/api/v1/stores/tenant-a', 403],
  ['get', () => `/api/v1/stores/${A.store}`, 403],
  ['patch', () => '/api/v1/stores/tenant-a', 403, { settings: { auto_refund_limit: 100000 } }],
  ['get', () => '/api/v1/stores/tenant-a/analytics', 403],
  ['post', () => '/api/v1/stores/tenant-a/api-keys', 403, { name: 'intruder', permissions: ['admin'] }],
  ['get', () => '/api/v1/stores/tenant-a/api-keys', 403],
  ['delete', () => `/api/v1/stores/tenant-a/api-keys/${A.key}`, 403],
  ['delete', () => `/api/v1/stores/tenant-b/api-keys/${A.key}`, 404],
];

describe("store B's key on store A's resources", () => {
  it.each(cases.map((c) => [c[0].toUpperCase(), c[1], c[2], c[3]] as const))('%s %s → %i', async (method, path, status, body) => {
    const p = path();
    const req = request(app)[method.toLowerCase() as 'get'](p).set(auth(keyB));
    const res = body ? await req.send(body) : await req;
    expect(res.status).toBe(status);
    const text = JSON.stringify(res.body);
    for (const secret of [SECRET_TEXT, '#W7777777', A.store]) expect(text).not.toContain(secret);
    expect(await snapshotA()).toBe(snapshot);
  });

  it("lists and queues only B's own data, and starts conversations in B", async () => {
    const list = await request(app).get('/api/v1/conversations').query({ q: 'store-a' }).set(auth(keyB));
    expect(list.body).toEqual({ data: [], next_cursor: null });
    const approvals = await request(app).get('/api/v1/approvals').set(auth(keyB));
    expect(approvals.body).toEqual({ drafts: [], actions: [] });
    const started = await request(app).post('/api/v1/conversations').set(auth(keyB)).send({ initial_message: 'Where is my order #W7777777?' });
    expect(started.status).toBe(201);
    const c = await ctx.db('conversations').where({ id: started.body.conversation_id }).first('store_id');
    expect(c.store_id).not.toBe(A.store);
    expect(await snapshotA()).toBe(snapshot);
  });
});
