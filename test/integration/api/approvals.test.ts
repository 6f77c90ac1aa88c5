/**
 * Approvals: a person approves or rejects what the bot prepared, through the API; real BullMQ
 * workers run `approval.execute`. Every reply and store action happens exactly once, also when
 * the job runs again (a redelivery) or is retried by BullMQ after the helpdesk failed.
 * Zendesk HTTP is mocked with nock, from the shapes in test/fixtures/zendesk (see SOURCES.md).
 */
import { readFileSync } from 'node:fs';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import nock from 'nock';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getHelpdeskProvider } from '../../../connectors/registry.js';
import { jobCatalog } from '../../../jobs/catalog.js';
import { buildHandlers } from '../../../jobs/handlers/index.js';
import { startWorkers } from '../../../jobs/workers.js';
import { approvalsSchema } from '../../../src/api/schemas/approvals.js';
import type { AppContext } from '../../../src/app/context.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { connectRedis, createRedis } from '../../../src/infra/redis.js';
import { saveCredentials } from '../../../src/store/credentials.js';
import type { Store } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { createStoreWithKey, loadDemoStore } from '../../helpers/stores.js';
import { addKey, auth, findApprovalJobId, insertConversation, waitForJob } from './api-helpers.js';

const ZENDESK = 'https://demo-shop.zendesk.com';
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/zendesk/${name}`, import.meta.url), 'utf8'));

let testDb: TestDb;
let ctx: AppContext;
let app: ReturnType<typeof createApp>;
let workers: Worker[] = [];
let workerRedis: Redis;
let demo: Store;
let writer: string;
let reader: string;
let otherStore: string;

beforeAll(async () => {
  testDb = await createTestDb();
  ctx = await createTestContext(testDb);
  app = createApp(ctx, routeModules(ctx));
  demo = await loadDemoStore(ctx.db);
  writer = await addKey(ctx.db, demo.id, ['write']);
  reader = await addKey(ctx.db, demo.id, ['read']);
  otherStore = (await createStoreWithKey(ctx.db, 'approvals-other', ['admin'])).key;
  const zendesk = getHelpdeskProvider('zendesk')!.parseConfig({ subdomain: 'demo-shop', email: 'bot@demo.example', apiToken: 'zd-token', webhookSecret: 'zd-secret', botUserId: 900000000001, baseUrl: ZENDESK });
  await saveCredentials(ctx.db, ctx.encryptionKey, { storeId: demo.id, kind: 'zendesk', ...zendesk });
  workerRedis = createRedis(ctx.config.REDIS_URL, 'worker');
  await connectRedis(workerRedis, ctx.config.REDIS_URL);
  workers = startWorkers(jobCatalog, buildHandlers(ctx), workerRedis, { prefix: ctx.config.QUEUE_PREFIX, logger: ctx.logger });
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  workerRedis?.disconnect();
  nock.cleanAll();
  await ctx?.close();
  await testDb?.close();
});

const queue = () => ctx.queues.queue('approval.execute');
const start = (email: string, text: string) => request(app).post('/api/v1/conversations').set(auth(writer)).send({ customer_email: email, customer_name: 'Test Customer', initial_message: text });
const post = (path: string, body: object = {}, key = writer) => request(app).post(`/api/v1${path}`).set(auth(key)).send(body);
const message = (id: string) => ctx.db('messages').where({ id }).first();
const count = async (q: ReturnType<AppContext['db']>) => Number(((await q.count({ n: '*' })) as { n: unknown }[])[0]!.n);

/** Runs the approval job once more, as a redelivery would, and waits for it. */
async function runAgain(kind: 'message' | 'action', id: string) {
  const jobId = await ctx.queues.enqueue('approval.execute', { storeId: demo.id, kind, id }, { jobId: `rerun-${kind}-${id}` });
  return waitForJob(queue(), jobId);
}

describe('approving a drafted reply', () => {
  it('runs the action it announces, then sends it, once; a second run changes nothing', async () => {
    const turn = await start('fatima.anderson1447@example.com', 'Please cancel my order #W2974929, I ordered by mistake.');
    expect(turn.body).toMatchObject({ outcome: 'draft', pending_approval: true });
    const draftId: string = turn.body.reply_message_id;
    const actionId: string = turn.body.actions_taken[0].id;

    const queued = await approvals();
    expect(queued.drafts.find((d) => d.message_id === draftId)?.action).toMatchObject({ id: actionId, action_type: 'cancel_order', status: 'proposed' });

    const res = await post(`/messages/${draftId}/approve`);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: 'queued' });
    const job = await waitForJob(queue(), await findApprovalJobId(queue(), 'message', draftId));
    expect(job.state).toBe('completed');

    const sent = await message(draftId);
    expect(sent).toMatchObject({ status: 'sent', delivery: 'public' });
    expect(sent.content).toMatch(/cancelled your order #W2974929/);
    expect((await ctx.db('actions').where({ id: actionId }).first()).status).toBe('completed');
    expect((await ctx.db('orders').where({ store_id: demo.id, order_number: '#W2974929' }).first()).status).toBe('cancelled');
    expect((await ctx.db('conversations').where({ id: turn.body.conversation_id }).first()).first_response_at).not.toBeNull();
    expect((await approvals()).drafts.map((d) => d.message_id)).not.toContain(draftId);

    const again = await runAgain('message', draftId);
    expect(again).toMatchObject({ state: 'completed', returnvalue: { status: 'sent', replayed: true } });
    expect(await count(ctx.db('messages').where({ conversation_id: turn.body.conversation_id, role: 'assistant' }))).toBe(1);
    const writes = await ctx.db('external_writes').where({ store_id: demo.id }).whereLike('idempotency_key', 'action:%').select('attempts', 'status');
    expect(writes).toEqual([{ attempts: 1, status: 'sent' }]);

    expect((await post(`/messages/${draftId}/approve`)).status).toBe(409);
    expect((await post(`/messages/${draftId}/reject`)).status).toBe(409);
  });

  it('sends the edited text instead of the draft', async () => {
    await request(app).patch('/api/v1/stores/demo').set(auth(await addKey(ctx.db, demo.id, ['admin']))).send({ settings: { modes: { order_status: 'draft' } } });
    const turn = await start('mason.johansson9528@example.com', 'Where is my order #W9549057?');
    const draftId: string = turn.body.reply_message_id;
    const edited = 'Hi Mason, your parcel #W9549057 is with the carrier (tracking 367478070474). — Sam';
    expect((await post(`/messages/${draftId}/approve`, { content: edited })).status).toBe(202);
    await waitForJob(queue(), await findApprovalJobId(queue(), 'message', draftId));
    expect(await message(draftId)).toMatchObject({ status: 'sent', content: edited });
  });

  it('rejects a draft and the action it announced; 409 afterwards', async () => {
    const turn = await start('mei.gonzalez8775@example.com', 'I would like to return my order #W7303089.');
    expect(turn.body.outcome).toBe('draft');
    const draftId: string = turn.body.reply_message_id;
    const res = await post(`/messages/${draftId}/reject`, { reason: 'needs a photo first' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'rejected' });
    expect((await message(draftId)).status).toBe('rejected');
    expect((await ctx.db('actions').where({ id: turn.body.actions_taken[0].id }).first()).status).toBe('rejected');
    expect((await post(`/messages/${draftId}/approve`)).status).toBe(409);
  });
});

describe('approving a store action', () => {
  it('runs the refund and tells the customer (in place of the holding draft), once', async () => {
    const turn = await start('mei.gonzalez8775@example.com', 'I want a refund for order #W7303089, the items arrived damaged.');
    expect(turn.body.outcome).toBe('awaiting_approval');
    const actionId: string = turn.body.actions_taken[0].id;
    const queued = await approvals();
    expect(queued.actions.find((a) => a.id === actionId)).toMatchObject({ action_type: 'refund', status: 'awaiting_approval', order_number: '#W7303089', reason: 'refund of 395.17 USD is above the automatic limit of 50' });

    expect((await post(`/actions/${actionId}/approve`)).status).toBe(202);
    const job = await waitForJob(queue(), await findApprovalJobId(queue(), 'action', actionId));
    expect(job).toMatchObject({ state: 'completed', returnvalue: { status: 'completed' } });
    expect((await ctx.db('actions').where({ id: actionId }).first()).status).toBe('completed');

    const replies = await ctx.db('messages').where({ conversation_id: turn.body.conversation_id, role: 'assistant' }).select('id', 'status', 'content');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ id: turn.body.reply_message_id, status: 'sent' });
    expect(replies[0]!.content).toMatch(/issued a refund of \$395\.17 for your order #W7303089/);
    expect((await approvals()).actions.map((a) => a.id)).not.toContain(actionId);

    const again = await runAgain('action', actionId);
    expect(again).toMatchObject({ state: 'completed', returnvalue: { replayed: true } });
    expect(await count(ctx.db('messages').where({ conversation_id: turn.body.conversation_id, role: 'assistant' }))).toBe(1);
    expect(await count(ctx.db('external_writes').where({ store_id: demo.id, operation: 'refund' }))).toBe(1);
    expect((await post(`/actions/${actionId}/approve`)).status).toBe(409);
  });

  it('rejects an action with a reason; the holding draft is withdrawn', async () => {
    const turn = await start('ava.moore6020@example.com', 'I want a refund for order #W4817420, the items arrived damaged.');
    expect(turn.body.outcome).toBe('awaiting_approval');
    const actionId: string = turn.body.actions_taken[0].id;
    const res = await post(`/actions/${actionId}/reject`, { reason: 'outside the return window' });
    expect(res.status).toBe(200);
    expect(await ctx.db('actions').where({ id: actionId }).first()).toMatchObject({ status: 'rejected', error_message: 'outside the return window' });
    expect((await message(turn.body.reply_message_id)).status).toBe('rejected');
    expect((await post(`/actions/${actionId}/reject`)).status).toBe(409);
    expect((await post(`/actions/${actionId}/approve`)).status).toBe(409);
  });
});

describe('a helpdesk conversation', () => {
  it('posts the approved reply to Zendesk exactly once across a BullMQ retry and a redelivery', async () => {
    const conversationId = await insertConversation(ctx.db, { storeId: demo.id, createdAt: new Date().toISOString(), channel: 'zendesk', externalId: '35436', intent: 'order_status' });
    const [draft] = await ctx.db('messages')
      .insert({ store_id: demo.id, conversation_id: conversationId, role: 'assistant', content: 'Your order is on its way.', delivery: 'draft', status: 'pending_approval' })
      .returning('id');
    const draftId = String(draft.id);
    const key = `approved-reply:${draftId}`;
    const unmatched: string[] = [];
    // Loopback calls (supertest) pass through unmatched too: count only Zendesk's.
    nock.emitter.on('no match', (req: { hostname?: string; host?: string; path?: string }) => {
      const host = String(req.hostname ?? req.host ?? '');
      if (host.includes('zendesk')) unmatched.push(`${host}${req.path}`);
    });
    const isOurReply = (b: { ticket: { comment: { public: boolean; html_body: string } } }) => b.ticket.comment.public === true && b.ticket.comment.html_body.includes(key);
    const scope = nock(ZENDESK)
      // 1st attempt: Zendesk fails after maybe applying it → the job fails and BullMQ retries.
      .put('/api/v2/tickets/35436.json', isOurReply)
      .reply(500, { error: 'InternalError' }, { 'Retry-After': '0' })
      // 2nd attempt: look for the comment first (not there), then post it.
      .get('/api/v2/tickets/35436/comments.json')
      .query(true)
      .reply(200, fixture('comments.json'))
      .put('/api/v2/tickets/35436.json', isOurReply)
      .reply(200, fixture('update-ticket-response.json'));

    expect((await post(`/messages/${draftId}/approve`)).status).toBe(202);
    const job = await waitForJob(queue(), await findApprovalJobId(queue(), 'message', draftId));
    expect(job.state).toBe('completed');
    expect(job.attemptsMade).toBeGreaterThanOrEqual(1);
    expect(scope.isDone()).toBe(true);
    expect(await message(draftId)).toMatchObject({ status: 'sent', delivery: 'public', external_id: '9000000099' });
    expect(await ctx.db('external_writes').where({ store_id: demo.id, idempotency_key: key }).first()).toMatchObject({ status: 'sent', attempts: 2 });

    // Run again: nothing is sent (no interceptor is left, so any call would show up as unmatched).
    const again = await runAgain('message', draftId);
    expect(again).toMatchObject({ state: 'completed', returnvalue: { status: 'sent', replayed: true } });
    expect(unmatched).toEqual([]);
    nock.emitter.removeAllListeners('no match');
  });
});

describe('a reply the helpdesk refuses', () => {
  it('is marked failed with the vendor error (no endless "being delivered")', async () => {
    const conversationId = await insertConversation(ctx.db, { storeId: demo.id, createdAt: new Date().toISOString(), channel: 'zendesk', externalId: '404404', intent: 'order_status' });
    const [draft] = await ctx.db('messages')
      .insert({ store_id: demo.id, conversation_id: conversationId, role: 'assistant', content: 'Hello again.', delivery: 'draft', status: 'pending_approval' })
      .returning('id');
    const scope = nock(ZENDESK).put('/api/v2/tickets/404404.json').reply(404, fixture('error-404.json'));
    expect((await post(`/messages/${draft.id}/approve`)).status).toBe(202);
    const job = await waitForJob(queue(), await findApprovalJobId(queue(), 'message', String(draft.id)));
    expect(job.state).toBe('failed');
    expect(scope.isDone()).toBe(true);
    const m = await message(String(draft.id));
    expect(m.status).toBe('failed');
    expect(m.metadata.delivery_error).toMatch(/^Zendesk 404/);
  });
});

describe('approval errors and isolation', () => {
  it("answers 404 for ids of another store (and changes nothing), 400 for bad bodies, 403 read-only", async () => {
    const turn = await start('amelia.wilson1598@example.com', 'I want a refund for order #W9077205, the items arrived damaged.');
    const draftId: string = turn.body.reply_message_id;
    const actionId: string = turn.body.actions_taken[0].id;
    for (const path of [`/messages/${draftId}/approve`, `/messages/${draftId}/reject`, `/actions/${actionId}/approve`, `/actions/${actionId}/reject`]) {
      const res = await post(path, {}, otherStore);
      expect(res.status).toBe(404);
      expect((await post(path, {}, reader)).status).toBe(403);
    }
    expect((await message(draftId)).status).toBe('pending_approval');
    expect((await ctx.db('actions').where({ id: actionId }).first()).status).toBe('awaiting_approval');
    expect((await post(`/messages/${draftId}/approve`, { content: '' })).status).toBe(400);
    expect((await post(`/messages/${draftId}/approve`, { text: 'x' })).status).toBe(400);
    expect((await post(`/actions/${actionId}/approve`, { force: true })).status).toBe(400);
    expect((await post('/messages/not-a-uuid/approve')).status).toBe(404);
    expect((await post('/actions/00000000-0000-4000-8000-000000000000/reject')).status).toBe(404);
    const other = await request(app).get('/api/v1/approvals').set(auth(otherStore));
    expect(other.body).toEqual({ drafts: [], actions: [] });
    expect((await request(app).get('/api/v1/approvals')).status).toBe(401);
    expect((await request(app).get('/api/v1/approvals').query({ limit: 0 }).set(auth(reader))).status).toBe(400);
  });

  it('503 when the job cannot be queued (Redis down): the approval is undone, nothing lost', async () => {
    const turn = await start('omar.khan3563@example.com', 'I would like to return my order #W6304490.');
    const draftId: string = turn.body.reply_message_id;
    const down = await createTestContext(testDb);
    down.redis.disconnect();
    try {
      const res = await request(createApp(down, routeModules(down))).post(`/api/v1/messages/${draftId}/approve`).set(auth(writer)).send({ content: 'edited' });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
    } finally {
      await down.close();
    }
    expect(await message(draftId)).toMatchObject({ status: 'pending_approval', content: turn.body.response ?? expect.stringContaining('return') });
    expect((await post(`/messages/${draftId}/approve`)).status).toBe(202); // and it can be approved again
  });
});

async function approvals() {
  const res = await request(app).get('/api/v1/approvals').set(auth(reader));
  expect(res.status).toBe(200);
  return approvalsSchema.parse(res.body);
}
