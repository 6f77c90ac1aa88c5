/**
 * POST /api/v1/conversations and /conversations/:id/messages on the demo store with the local
 * engine: the reply comes back in the answer, from the real order data, and the store's settings
 * decide whether it is sent, drafted or not written at all.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationDetailSchema, turnResponseSchema } from '../../../src/api/schemas/conversations.js';
import type { AppContext } from '../../../src/app/context.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { loadDemoStore } from '../../helpers/stores.js';
import { addKey, auth } from './api-helpers.js';

// From data/demo: #W9549057 is in transit ("processed" in τ-bench), tracking 367478070474, placed by
// mason_johansson_2485 (users.json). #W2974929 is pending, placed by fatima_anderson.
const OWNER = 'mason.johansson9528@example.com';
const ORDER = '#W9549057';
const TRACKING = '367478070474';
const WISMO = `Where is my order ${ORDER}?`;

let testDb: TestDb;
let ctx: AppContext;
let app: ReturnType<typeof createApp>;
let admin: string;
let writer: string;
let reader: string;

beforeAll(async () => {
  testDb = await createTestDb();
  ctx = await createTestContext(testDb);
  app = createApp(ctx, routeModules(ctx));
  const demo = await loadDemoStore(ctx.db);
  admin = await addKey(ctx.db, demo.id, ['admin']);
  writer = await addKey(ctx.db, demo.id, ['write']);
  reader = await addKey(ctx.db, demo.id, ['read']);
});

afterAll(async () => {
  await ctx?.close();
  await testDb?.close();
});

const start = (body: Record<string, unknown>, key = writer) => request(app).post('/api/v1/conversations').set(auth(key)).send(body);
const patchSettings = (settings: Record<string, unknown>) => request(app).patch('/api/v1/stores/demo').set(auth(admin)).send({ settings });

describe('demo store acceptance', () => {
  it("answers the order's owner with the real status and tracking number", async () => {
    const res = await start({ channel: 'widget', customer_email: OWNER, customer_name: 'Mason Johansson', initial_message: WISMO });
    expect(res.status).toBe(201);
    const body = turnResponseSchema.parse(res.body);
    expect(body).toMatchObject({ intent: 'order_status', outcome: 'auto', requires_action: false, pending_approval: false, escalated: false, actions_taken: [] });
    expect(body.response).toContain(ORDER);
    expect(body.response).toMatch(/shipped/);
    expect(body.response).toContain(TRACKING);
    expect(body.response).toMatch(/^Hi Mason/);
    const reply = await ctx.db('messages').where({ id: body.reply_message_id }).first();
    expect(reply).toMatchObject({ role: 'assistant', status: 'sent', delivery: 'public', content: body.response });
  });

  it('asks anyone else to verify their identity and discloses nothing about the order', async () => {
    const res = await start({ customer_email: 'someone.else@example.com', initial_message: WISMO });
    expect(res.status).toBe(201);
    expect(res.body.outcome).toBe('auto');
    expect(res.body.response).toMatch(/only share or change order details with the person who placed the order/);
    expect(res.body.response).not.toContain(TRACKING);
    expect(res.body.response).not.toMatch(/shipped|T-Shirt/);
  });
});

describe('turns over the API', () => {
  it('continues a conversation, keeping the customer and the order', async () => {
    const first = await start({ customer_email: OWNER, customer_name: 'Mason', initial_message: WISMO });
    const id = first.body.conversation_id;
    const next = await request(app).post(`/api/v1/conversations/${id}/messages`).set(auth(writer)).send({ content: 'Can you tell me where my package is now?' });
    expect(next.status).toBe(201);
    const body = turnResponseSchema.parse(next.body);
    expect(body.conversation_id).toBe(id);
    expect(body.message_id).not.toBe(first.body.message_id);
    expect(body.response).toContain(TRACKING); // the order carried over from the first turn
    expect(body.response).toMatch(/^Hi Mason/);

    const detail = await request(app).get(`/api/v1/conversations/${id}`).set(auth(reader));
    expect(detail.status).toBe(200);
    const d = conversationDetailSchema.parse(detail.body);
    expect(d.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(d).toMatchObject({ status: 'active', channel: 'api', customer_email: OWNER, primary_intent: 'order_status', order_number: ORDER });
    expect(d.traces).toHaveLength(2);
    expect(d.traces[0]!.nodes.length).toBeGreaterThan(3);
    expect(d.traces[0]!.outcome).toBe('auto');
  });

  it('replays the first result for a retried POST with the same Idempotency-Key', async () => {
    const before = Number((await ctx.db('conversations').count({ n: '*' }))[0]!.n);
    const a = await start({ customer_email: OWNER, initial_message: WISMO }).set('Idempotency-Key', 'retry-me-1');
    const b = await start({ customer_email: OWNER, initial_message: WISMO }).set('Idempotency-Key', 'retry-me-1');
    expect(a.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expect(Number((await ctx.db('conversations').count({ n: '*' }))[0]!.n)).toBe(before + 1);
    const again = await request(app).post(`/api/v1/conversations/${a.body.conversation_id}/messages`).set(auth(writer)).set('Idempotency-Key', 'retry-me-1').send({ content: 'thanks' });
    const again2 = await request(app).post(`/api/v1/conversations/${a.body.conversation_id}/messages`).set(auth(writer)).set('Idempotency-Key', 'retry-me-1').send({ content: 'thanks' });
    expect(again2.body).toEqual(again.body);
    expect(Number((await ctx.db('messages').where({ conversation_id: a.body.conversation_id, role: 'user' }).count({ n: '*' }))[0]!.n)).toBe(2);
    const bad = await start({ initial_message: 'hi' }).set('Idempotency-Key', 'has spaces in it');
    expect(bad.status).toBe(400);
  });

  it('drafts a cancellation for approval (demo mode draft) and says nothing to the customer yet', async () => {
    const res = await start({ customer_email: 'fatima.anderson1447@example.com', initial_message: 'Please cancel my order #W2974929, I ordered by mistake.' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ intent: 'cancel_order', outcome: 'draft', response: null, pending_approval: true, requires_action: true });
    expect(res.body.actions_taken).toEqual([{ id: expect.any(String), type: 'cancel_order', status: 'proposed', order_number: '#W2974929' }]);
    const order = await ctx.db('orders').where({ order_number: '#W2974929' }).first('status');
    expect(order.status).toBe('pending');
  });

  it('holds a refund above the automatic limit for approval', async () => {
    const res = await start({ customer_email: 'mei.gonzalez8775@example.com', initial_message: 'I want a refund for order #W7303089, the items arrived damaged.' });
    expect(res.body).toMatchObject({ intent: 'refund_request', outcome: 'awaiting_approval', response: null, pending_approval: true, requires_action: true });
    expect(res.body.actions_taken[0]).toMatchObject({ type: 'refund', status: 'awaiting_approval' });
  });

  it('hands over to a person when asked, telling the customer so', async () => {
    const res = await start({ customer_email: 'mei.gonzalez8775@example.com', initial_message: 'I want to speak to a human agent right now.' });
    expect(res.body).toMatchObject({ outcome: 'escalated', escalated: true, pending_approval: false });
    expect(res.body.response).toMatch(/member of our team/);
    const c = await ctx.db('conversations').where({ id: res.body.conversation_id }).first('status');
    expect(c.status).toBe('escalated');
  });
});

describe('store settings drive the delivery decision', () => {
  it('mode off: no reply is written', async () => {
    expect((await patchSettings({ modes: { order_status: 'off' } })).status).toBe(200);
    const res = await start({ customer_email: OWNER, initial_message: WISMO });
    expect(res.body).toMatchObject({ outcome: 'off', response: null, reply_message_id: null, pending_approval: false });
    const msgs = await ctx.db('messages').where({ conversation_id: res.body.conversation_id }).select('role');
    expect(msgs.map((m) => m.role)).toEqual(['user']);
  });

  it('mode draft: the reply waits for approval', async () => {
    await patchSettings({ modes: { order_status: 'draft' } });
    const res = await start({ customer_email: OWNER, initial_message: WISMO });
    expect(res.body).toMatchObject({ outcome: 'draft', response: null, pending_approval: true, requires_action: false });
    const approvals = await request(app).get('/api/v1/approvals').set(auth(reader));
    const draft = approvals.body.drafts.find((d: { message_id: string }) => d.message_id === res.body.reply_message_id);
    expect(draft.content).toContain(TRACKING);
  });

  it('mode auto: the reply is sent; a confidence threshold of 1.0 turns it back into a draft', async () => {
    await patchSettings({ modes: { order_status: 'auto' } });
    const auto = await start({ customer_email: OWNER, initial_message: WISMO });
    expect(auto.body).toMatchObject({ outcome: 'auto', pending_approval: false });
    expect(auto.body.response).toContain(TRACKING);

    await patchSettings({ confidence_threshold: 1 });
    const strict = await start({ customer_email: OWNER, initial_message: WISMO });
    expect(strict.body.confidence).toBeLessThan(1);
    expect(strict.body).toMatchObject({ outcome: 'draft', response: null, pending_approval: true });
    const detail = await request(app).get(`/api/v1/conversations/${strict.body.conversation_id}`).set(auth(reader));
    const deliver = detail.body.traces[0].nodes.find((n: { node: string }) => n.node === 'deliverDecision');
    expect(JSON.stringify(deliver)).toMatch(/below the auto threshold 1/);
    await patchSettings({ confidence_threshold: null }); // back to the default 0.75
  });

  it('mode auto for cancellations: the action runs before the reply that announces it', async () => {
    await patchSettings({ modes: { cancel_order: 'auto' } });
    const res = await start({ customer_email: 'mei.ahmed5231@example.com', initial_message: 'Please cancel my order #W2631563, I ordered by mistake.' });
    expect(res.body).toMatchObject({ intent: 'cancel_order', outcome: 'auto', requires_action: false });
    expect(res.body.actions_taken).toEqual([{ id: expect.any(String), type: 'cancel_order', status: 'completed', order_number: '#W2631563' }]);
    expect(res.body.response).toMatch(/cancelled your order #W2631563/);
    const order = await ctx.db('orders').where({ order_number: '#W2631563' }).first('status');
    expect(order.status).toBe('cancelled');
    await patchSettings({ modes: { cancel_order: null } });
  });

  it('a channel turned off refuses new messages (403); the other channel still works', async () => {
    await patchSettings({ channels: { api: false } });
    const off = await start({ channel: 'api', initial_message: WISMO });
    expect(off.status).toBe(403);
    expect(off.body.error.message).toMatch(/settings.channels.api/);
    const widget = await start({ channel: 'widget', customer_email: OWNER, initial_message: WISMO });
    expect(widget.status).toBe(201);
    await patchSettings({ channels: { api: true } });
  });
});
