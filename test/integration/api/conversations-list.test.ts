/**
 * Listing, reading, escalating and resolving conversations, and every error the conversation
 * endpoints answer (400, 401, 403, 404, 409, 413), on two stores that never see each other's data.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationDetailSchema, conversationListSchema, turnResponseSchema } from '../../../src/api/schemas/conversations.js';
import type { AppContext } from '../../../src/app/context.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { createStoreWithKey } from '../../helpers/stores.js';
import { addKey, auth, insertConversation } from './api-helpers.js';

let testDb: TestDb;
let ctx: AppContext;
let app: ReturnType<typeof createApp>;
let keyA: string;
let readerA: string;
let keyB: string;
let storeA: string;
type Ids = Record<'wismo' | 'damaged' | 'zendesk' | 'tieA' | 'tieB' | 'resolved' | 'other', string>;
const ids = {} as Ids;

beforeAll(async () => {
  testDb = await createTestDb();
  ctx = await createTestContext(testDb);
  app = createApp(ctx, routeModules(ctx));
  const a = await createStoreWithKey(ctx.db, 'list-a', ['write']);
  const b = await createStoreWithKey(ctx.db, 'list-b', ['admin']);
  storeA = a.store.id;
  keyA = a.key;
  keyB = b.key;
  readerA = await addKey(ctx.db, storeA, ['read']);
  const s = storeA;
  ids.wismo = await insertConversation(ctx.db, { storeId: s, createdAt: '2026-04-01T10:00:00Z', intent: 'order_status', sentiment: 'neutral', orderNumber: '#W1111111', turns: [{ outcome: 'auto' }], messages: [{ role: 'user', content: 'Where is order #W1111111?' }, { role: 'assistant', content: 'It shipped.', delivery: 'public' }] });
  ids.damaged = await insertConversation(ctx.db, { storeId: s, createdAt: '2026-04-02T10:00:00Z', intent: 'complaint', sentiment: 'frustrated', status: 'escalated', turns: [{ outcome: 'escalated' }], messages: [{ role: 'user', content: 'My lamp arrived DAMAGED, 100% broken' }] });
  ids.zendesk = await insertConversation(ctx.db, { storeId: s, createdAt: '2026-04-03T10:00:00Z', channel: 'zendesk', externalId: '35436', intent: 'refund_request', turns: [{ outcome: 'draft' }], messages: [{ role: 'user', content: 'refund please' }] });
  // Two at the same instant: pagination must still visit both exactly once.
  ids.tieA = await insertConversation(ctx.db, { storeId: s, createdAt: '2026-04-04T10:00:00Z', intent: 'shipping_question', turns: [{ outcome: 'auto' }] });
  ids.tieB = await insertConversation(ctx.db, { storeId: s, createdAt: '2026-04-04T10:00:00Z', intent: 'shipping_question', turns: [{ outcome: 'auto' }] });
  ids.resolved = await insertConversation(ctx.db, { storeId: s, createdAt: '2026-04-05T10:00:00Z', status: 'resolved', intent: 'order_status' });
  ids.other = await insertConversation(ctx.db, { storeId: b.store.id, createdAt: '2026-04-02T11:00:00Z', intent: 'complaint', orderNumber: '#W1111111', messages: [{ role: 'user', content: 'DAMAGED too' }] });
});

afterAll(async () => {
  await ctx?.close();
  await testDb?.close();
});

const list = (query: Record<string, unknown>, key = readerA) => request(app).get('/api/v1/conversations').query(query).set(auth(key));
const listIds = async (query: Record<string, unknown>) => (await list(query)).body.data.map((c: { id: string }) => c.id);

describe('GET /conversations', () => {
  it("lists the store's conversations newest first, with the last message and outcome", async () => {
    const res = await list({});
    expect(res.status).toBe(200);
    const body = conversationListSchema.parse(res.body);
    expect(body.data.map((c) => c.id)).toEqual([ids.resolved, ...[ids.tieA, ids.tieB].sort().reverse(), ids.zendesk, ids.damaged, ids.wismo]);
    expect(body.next_cursor).toBeNull();
    const wismo = body.data.find((c) => c.id === ids.wismo)!;
    expect(wismo).toMatchObject({ primary_intent: 'order_status', order_number: '#W1111111', last_outcome: 'auto', last_message: { role: 'assistant', content: 'It shipped.' } });
    expect(body.data.find((c) => c.id === ids.resolved)!.last_message).toBeNull();
  });

  it.each([
    [{ status: 'escalated' }, ['damaged']],
    [{ intent: 'order_status' }, ['resolved', 'wismo']],
    [{ sentiment: 'frustrated' }, ['damaged']],
    [{ channel: 'zendesk' }, ['zendesk']],
    [{ outcome: 'draft' }, ['zendesk']],
    [{ q: 'w1111111' }, ['wismo']], // order number and message text, case-insensitive
    [{ q: 'damaged' }, ['damaged']],
    [{ q: '100%' }, ['damaged']], // % is a character, not a wildcard
    [{ q: '%' }, ['damaged']],
    [{ intent: 'order_status', status: 'resolved' }, ['resolved']],
  ])('filters by %j', async (query, expected) => {
    expect((await listIds(query)).sort()).toEqual(expected.map((k) => ids[k as keyof Ids]).sort());
  });

  it('pages with a keyset cursor, visiting every conversation exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await list({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((c: { id: string }) => c.id));
      cursor = res.body.next_cursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(await listIds({}));
  });

  it.each([[{ status: 'lost' }], [{ limit: 0 }], [{ limit: 101 }], [{ cursor: 'bm90LWEtY3Vyc29y' }], [{ page: 2 }], [{ intent: 'weather' }]])('400 for %j', async (query) => {
    const res = await list(query);
    expect(res.status).toBe(400);
    expect(res.body.error.status).toBe(400);
  });

  it("never lists another store's conversations", async () => {
    const res = await list({ q: 'damaged' }, keyB);
    expect(res.body.data.map((c: { id: string }) => c.id)).toEqual([ids.other]);
  });
});

describe('GET /conversations/:id', () => {
  it('answers the conversation with messages, traces and actions', async () => {
    const res = await request(app).get(`/api/v1/conversations/${ids.wismo}`).set(auth(readerA));
    expect(res.status).toBe(200);
    const d = conversationDetailSchema.parse(res.body);
    expect(d.messages.map((m) => m.content)).toEqual(['Where is order #W1111111?', 'It shipped.']);
    expect(d.traces.map((t) => t.outcome)).toEqual(['auto']);
  });

  it("404 for an unknown id, a malformed id and another store's conversation", async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', ids.other]) {
      const res = await request(app).get(`/api/v1/conversations/${id}`).set(auth(readerA));
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { status: 404, message: 'conversation not found' } });
    }
  });
});

describe('POST /conversations errors', () => {
  it('starts a conversation on a store without orders or knowledge: nothing answers it, so a person will', async () => {
    const res = await request(app).post('/api/v1/conversations').set(auth(keyA)).send({ initial_message: 'Do you sell gift cards?' });
    expect(res.status).toBe(201);
    expect(turnResponseSchema.parse(res.body)).toMatchObject({ outcome: 'escalated', escalated: true, pending_approval: false });
    expect(res.body.response).toMatch(/member of our team/);
    const c = await ctx.db('conversations').where({ id: res.body.conversation_id }).first('store_id', 'channel');
    expect(c).toEqual({ store_id: storeA, channel: 'api' });
  });

  it.each([
    [{}, 'initial_message'],
    [{ initial_message: '   ' }, 'initial_message'],
    [{ initial_message: 'x'.repeat(10_001) }, 'initial_message'],
    [{ initial_message: 'hi', customer_email: 'not-an-email' }, 'customer_email'],
    [{ initial_message: 'hi', channel: 'zendesk' }, 'channel'],
    [{ initial_message: 'hi', secret_flag: true }, ''],
  ])('400 for %j, naming the field', async (body, field) => {
    const res = await request(app).post('/api/v1/conversations').set(auth(keyA)).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it('400 for malformed JSON, 413 for an oversized body', async () => {
    const bad = await request(app).post('/api/v1/conversations').set(auth(keyA)).set('Content-Type', 'application/json').send('{"initial_message": ');
    expect(bad.status).toBe(400);
    const big = await request(app).post('/api/v1/conversations').set(auth(keyA)).send({ initial_message: 'x'.repeat(2_000_000) });
    expect(big.status).toBe(413);
  });

  it('401 without a key or with an unknown one, 403 with a read-only key', async () => {
    const body = { initial_message: 'hi' };
    expect((await request(app).post('/api/v1/conversations').send(body)).status).toBe(401);
    expect((await request(app).post('/api/v1/conversations').set(auth('hsb_unknown')).send(body)).status).toBe(401);
    const ro = await request(app).post('/api/v1/conversations').set(auth(readerA)).send(body);
    expect(ro.status).toBe(403);
    expect(ro.body.error.message).toMatch(/write/);
  });
});

describe('POST /conversations/:id/messages errors', () => {
  it('409 for a helpdesk conversation and for a resolved one; 404 for another store; 400 for empty content', async () => {
    const send = (id: string, content: unknown, key = keyA) => request(app).post(`/api/v1/conversations/${id}/messages`).set(auth(key)).send({ content });
    expect((await send(ids.zendesk, 'hello')).status).toBe(409);
    expect((await send(ids.resolved, 'hello')).status).toBe(409);
    expect((await send(ids.other, 'hello')).status).toBe(404);
    expect((await send(ids.wismo, '')).status).toBe(400);
    expect((await send(ids.wismo, 42)).status).toBe(400);
    expect(await ctx.db('messages').where({ conversation_id: ids.other }).count({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(1);
  });
});

describe('escalate and resolve', () => {
  it('escalates with the reason kept, idempotently; the ticket id is the helpdesk ticket when there is one', async () => {
    const res = await request(app).post(`/api/v1/conversations/${ids.tieA}/escalate`).set(auth(keyA)).send({ reason: 'Customer requested human agent' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ escalated: true, ticket_id: ids.tieA });
    const again = await request(app).post(`/api/v1/conversations/${ids.tieA}/escalate`).set(auth(keyA)).send({ reason: 'again' });
    expect(again.body).toEqual({ escalated: true, ticket_id: ids.tieA });
    const c = await ctx.db('conversations').where({ id: ids.tieA }).first('status', 'metadata');
    expect(c.status).toBe('escalated');
    expect(c.metadata.escalation.reason).toBe('Customer requested human agent');
    const system = await ctx.db('messages').where({ conversation_id: ids.tieA, role: 'system' }).select('content');
    expect(system).toEqual([{ content: 'Escalated to a person: Customer requested human agent' }]);
    const zd = await request(app).post(`/api/v1/conversations/${ids.zendesk}/escalate`).set(auth(keyA)).send({ reason: 'vip' });
    expect(zd.body).toEqual({ escalated: true, ticket_id: '35436' });
  });

  it('escalate errors: 400 without a reason, 404 for another store, 409 when resolved, 403 read-only', async () => {
    const esc = (id: string, body: unknown, key = keyA) => request(app).post(`/api/v1/conversations/${id}/escalate`).set(auth(key)).send(body as object);
    expect((await esc(ids.wismo, {})).status).toBe(400);
    expect((await esc(ids.other, { reason: 'x' })).status).toBe(404);
    expect((await esc(ids.resolved, { reason: 'x' })).status).toBe(409);
    expect((await esc(ids.wismo, { reason: 'x' }, readerA)).status).toBe(403);
    expect((await ctx.db('conversations').where({ id: ids.other }).first('status')).status).toBe('active');
  });

  it('resolves once with summary and CSAT, and queues knowledge.learn', async () => {
    const res = await request(app).post(`/api/v1/conversations/${ids.wismo}/resolve`).set(auth(keyA)).send({ resolution_summary: 'Order tracking provided', csat_score: 5 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ resolved: true });
    const c = await ctx.db('conversations').where({ id: ids.wismo }).first();
    expect(c).toMatchObject({ status: 'resolved', resolution_summary: 'Order tracking provided', csat_score: 5 });
    expect(c.resolved_at).not.toBeNull();
    const job = await ctx.queues.queue('knowledge.learn').getJob(`learn-${ids.wismo}`);
    expect(job?.data).toEqual({ storeId: storeA, conversationId: ids.wismo });
    const again = await request(app).post(`/api/v1/conversations/${ids.wismo}/resolve`).set(auth(keyA)).send({ resolution_summary: 'again' });
    expect(again.status).toBe(409);
  });

  it.each([[{ resolution_summary: 'ok', csat_score: 0 }], [{ resolution_summary: 'ok', csat_score: 6 }], [{ resolution_summary: 'ok', csat_score: 4.5 }], [{ csat_score: 5 }]])('resolve 400 for %j', async (body) => {
    expect((await request(app).post(`/api/v1/conversations/${ids.damaged}/resolve`).set(auth(keyA)).send(body)).status).toBe(400);
  });

  it("resolve 404 for another store's conversation (left untouched)", async () => {
    const res = await request(app).post(`/api/v1/conversations/${ids.other}/resolve`).set(auth(keyA)).send({ resolution_summary: 'x' });
    expect(res.status).toBe(404);
    expect((await ctx.db('conversations').where({ id: ids.other }).first('status')).status).toBe('active');
  });
});
