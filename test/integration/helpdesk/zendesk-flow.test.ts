import { createHmac } from 'node:crypto';
import nock from 'nock';
import supertest from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { parseSettings } from '../../../src/domain/settings.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { updateStoreSettings, type Store } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { loadDemoStore } from '../../helpers/stores.js';
import { startTestWorkers, waitForEvent } from '../../helpers/workers.js';
import { addKey, auth } from '../api/api-helpers.js';

// Zendesk end to end: signed webhook → inbound_events → BullMQ → worker (guard, pipeline, delivery)
// → Zendesk API (nock, shapes from test/fixtures/zendesk/SOURCES.md).
const BASE = 'https://acme.zendesk.com';
const SECRET = 'zendesk-flow-signing-secret';
const BOT = 900000000001;
const CUSTOMER = 381000000001;
const AGENT = 381000000002;
const GROUP = '360000000099';
const ORDER = '#W2611340'; // in transit, tracking 357962501027
const TRACKING = '357962501027';

let db: TestDb;
let ctx: AppContext;
let store: Store;
let app: ReturnType<typeof createApp>;
let workers: Awaited<ReturnType<typeof startTestWorkers>>;
let owner: { email: string; name: string };
let nextTicket = 50_000;

beforeAll(async () => {
  db = await createTestDb();
  ctx = await createTestContext(db, {
    ZENDESK_SUBDOMAIN: 'acme',
    ZENDESK_EMAIL: 'bot@acme.example',
    ZENDESK_API_TOKEN: 'zd-token',
    ZENDESK_WEBHOOK_SECRET: SECRET,
    ZENDESK_BOT_USER_ID: String(BOT),
  });
  await loadDemoStore(db.knex);
  const row = await db.knex('orders').where({ order_number: ORDER }).first();
  owner = { email: row.email, name: row.customer_name };
  app = createApp(ctx, routeModules(ctx));
  workers = await startTestWorkers(ctx);
}, 60_000);
afterEach(() => nock.cleanAll());
afterAll(async () => {
  await workers?.stop();
  await ctx?.close();
  await db?.close();
});

async function setModes(modes: Record<string, string>) {
  const current = (await db.knex('stores').where({ slug: 'demo' }).first()).settings;
  store = await updateStoreSettings(
    db.knex,
    (await db.knex('stores').where({ slug: 'demo' }).first()).id,
    parseSettings({ ...current, modes, confidence_threshold: 0.5, escalation: { zendesk: { groupId: GROUP } } }),
  );
}

/** Through the API, as an admin would: the webhook route forgets the store's remembered settings. */
async function patchSettings(patch: Record<string, unknown>) {
  const { id } = await db.knex('stores').where({ slug: 'demo' }).first('id');
  const res = await supertest(app).patch(`/api/v1/stores/${id}`).set(auth(await addKey(db.knex, id, ['admin']))).send({ settings: patch });
  expect(res.status).toBe(200);
}

type Comment = { id: number; author_id: number; body: string; public: boolean; created_at: string };

/** A ticket whose thread is `comments`; records every PUT the bot makes. */
function zendeskTicket(ticketId: number, comments: Comment[]) {
  const puts: Record<string, any>[] = [];
  const ticket = {
    ticket: { id: ticketId, subject: 'Order question', status: 'open', requester_id: CUSTOMER, assignee_id: null, group_id: null, tags: [], via: { channel: 'email' }, created_at: comments[0]!.created_at, updated_at: comments.at(-1)!.created_at },
    users: [
      { id: CUSTOMER, name: owner.name, email: owner.email, role: 'end-user' },
      { id: AGENT, name: 'Agent Smith', email: 'agent@acme.example', role: 'agent' },
      { id: BOT, name: 'Support Bot', email: 'bot@acme.example', role: 'agent' },
    ],
  };
  const commentsBody = () => ({ comments: comments.map((c) => ({ ...c, type: 'Comment', html_body: `<p>${c.body}</p>`, plain_body: c.body })), next_page: null, users: ticket.users });
  const scope = nock(BASE)
    .persist()
    .get(`/api/v2/tickets/${ticketId}.json`)
    .query(true)
    .reply(200, ticket)
    .get(`/api/v2/tickets/${ticketId}/comments.json`)
    .query(true)
    .reply(200, commentsBody)
    .put(`/api/v2/tickets/${ticketId}/tags.json`)
    .reply(200, (_u, body) => ({ tags: (body as { tags: string[] }).tags }));
  return { scope, puts, commentsBody };
}

/** Answers PUT /tickets/{id}.json with each reply in turn (status, body); records successful writes. */
function ticketUpdates(ticketId: number, puts: Record<string, any>[], replies: [number, object, Record<string, string>?][]) {
  const s = nock(BASE);
  for (const [status, body, headers] of replies) {
    s.put(`/api/v2/tickets/${ticketId}.json`).reply((_uri, reqBody) => {
      if (status === 200) puts.push((reqBody as { ticket: Record<string, any> }).ticket);
      // Each saved comment gets its own id, as in Zendesk.
      return [status, status === 200 ? { ticket: { id: ticketId }, audit: { id: 1, events: [{ id: 777 + puts.length, type: 'Comment' }] } } : body, headers ?? {}];
    });
  }
  return s;
}

function signedWebhook(ticketId: number, commentId: number, text: string) {
  const raw = JSON.stringify({ ticket_id: String(ticketId), comment_id: String(commentId), comment_public: 'true', comment_author_id: String(CUSTOMER), latest_comment: text, requester_id: String(CUSTOMER), requester_email: owner.email, requester_name: owner.name, subject: 'Order question', current_user_id: String(CUSTOMER), updated_at: new Date().toISOString() });
  const ts = new Date().toISOString();
  const sig = createHmac('sha256', SECRET).update(ts + raw).digest('base64');
  return () =>
    supertest(app)
      .post('/webhooks/zendesk')
      .set('Content-Type', 'application/json')
      .set('X-Zendesk-Webhook-Signature', sig)
      .set('X-Zendesk-Webhook-Signature-Timestamp', ts)
      .send(raw);
}

const customerAsks = (id: number, text: string): Comment => ({ id, author_id: CUSTOMER, body: text, public: true, created_at: new Date(Date.now() - 1000).toISOString() });
const comment = (put: Record<string, any>) => put.comment as { public: boolean; html_body?: string; body?: string } | undefined;
const text = (put: Record<string, any>) => `${comment(put)?.html_body ?? ''}${comment(put)?.body ?? ''}`;

describe('Zendesk: a customer ticket through the bot', () => {
  it('draft mode: exactly one internal note with the real status and tracking number', async () => {
    await setModes({ default: 'draft' });
    const id = ++nextTicket;
    const t = zendeskTicket(id, [customerAsks(1, `Where is my order ${ORDER}?`)]);
    ticketUpdates(id, t.puts, [[200, {}]]);
    expect((await signedWebhook(id, 1, `Where is my order ${ORDER}?`)()).status).toBe(202);
    const ev = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(ev.status).toBe('processed');
    expect(t.puts).toHaveLength(1);
    expect(comment(t.puts[0]!)?.public).toBe(false);
    expect(text(t.puts[0]!)).toContain(TRACKING);
    expect(text(t.puts[0]!)).toMatch(/shipped|on its way/);
  });

  it('auto mode: exactly one public reply with the real status and tracking number', async () => {
    await setModes({ default: 'draft', order_status: 'auto' });
    const id = ++nextTicket;
    const t = zendeskTicket(id, [customerAsks(1, `Where is my order ${ORDER}?`)]);
    ticketUpdates(id, t.puts, [[200, {}]]);
    await signedWebhook(id, 1, `Where is my order ${ORDER}?`)();
    await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(t.puts).toHaveLength(1);
    expect(comment(t.puts[0]!)?.public).toBe(true);
    expect(text(t.puts[0]!)).toContain(TRACKING);
    expect(text(t.puts[0]!)).toContain(ORDER);
  });

  it('"I want to speak to a person": reassigned to the group with a summary note, no public reply', async () => {
    await setModes({ default: 'auto' });
    const id = ++nextTicket;
    const t = zendeskTicket(id, [customerAsks(1, 'I want to speak to a person, please.')]);
    ticketUpdates(id, t.puts, [[200, {}]]);
    await signedWebhook(id, 1, 'I want to speak to a person, please.')();
    await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(t.puts).toHaveLength(1);
    expect(String(t.puts[0]!.group_id)).toBe(GROUP);
    expect(comment(t.puts[0]!)?.public).toBe(false);
    expect(text(t.puts[0]!)).toMatch(/human requested|asked for a person/i);
    expect(t.puts.some((p) => comment(p)?.public === true)).toBe(false);
  });

  it('the same webhook delivered three times gives one reply', async () => {
    await setModes({ default: 'auto' });
    const id = ++nextTicket;
    const t = zendeskTicket(id, [customerAsks(1, `Where is my order ${ORDER}?`)]);
    ticketUpdates(id, t.puts, [[200, {}]]);
    const send = signedWebhook(id, 1, `Where is my order ${ORDER}?`);
    const statuses = [(await send()).status, (await send()).status, (await send()).status];
    expect(statuses).toEqual([202, 200, 200]);
    await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    await new Promise((r) => setTimeout(r, 300));
    expect(t.puts).toHaveLength(1);
    expect(await db.knex('inbound_events').where({ idempotency_key: `zendesk:acme:${id}:1` })).toHaveLength(1);
  });

  it('a vendor 500 then 200 gives one reply, after the job retries', async () => {
    await setModes({ default: 'auto' });
    const id = ++nextTicket;
    const t = zendeskTicket(id, [customerAsks(1, `Where is my order ${ORDER}?`)]);
    ticketUpdates(id, t.puts, [[500, { error: 'InternalError' }], [200, {}]]);
    await signedWebhook(id, 1, `Where is my order ${ORDER}?`)();
    const ev = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(ev.status).toBe('processed');
    expect(ev.attempts).toBeGreaterThanOrEqual(2);
    expect(t.puts).toHaveLength(1);
    expect(comment(t.puts[0]!)?.public).toBe(true);
  });

  it('a 429 with Retry-After: 2 is waited out, then one reply', async () => {
    await setModes({ default: 'auto' });
    const id = ++nextTicket;
    const t = zendeskTicket(id, [customerAsks(1, `Where is my order ${ORDER}?`)]);
    const started = Date.now();
    ticketUpdates(id, t.puts, [[429, { error: 'TooManyRequests' }, { 'Retry-After': '2' }], [200, {}]]);
    await signedWebhook(id, 1, `Where is my order ${ORDER}?`)();
    await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(t.puts).toHaveLength(1);
  });

  it('a bad signature gets 401 and enqueues nothing', async () => {
    const before = await ctx.queues.queue('inbound.process').count();
    const res = await supertest(app)
      .post('/webhooks/zendesk')
      .set('Content-Type', 'application/json')
      .set('X-Zendesk-Webhook-Signature', 'Zm9yZ2Vk')
      .set('X-Zendesk-Webhook-Signature-Timestamp', new Date().toISOString())
      .send(JSON.stringify({ ticket_id: '1', comment_id: '1' }));
    expect(res.status).toBe(401);
    expect(await ctx.queues.queue('inbound.process').count()).toBe(before);
  });

  it('a ticket a human answered first gets nothing from the bot', async () => {
    await setModes({ default: 'auto' });
    const id = ++nextTicket;
    const t = zendeskTicket(id, [
      customerAsks(1, `Where is my order ${ORDER}?`),
      { id: 2, author_id: AGENT, body: 'Looking into it now!', public: true, created_at: new Date().toISOString() },
    ]);
    await signedWebhook(id, 1, `Where is my order ${ORDER}?`)();
    const ev = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(ev.status).toBe('skipped');
    expect(ev.skip_reason).toBe('human_replied');
    expect(t.puts).toHaveLength(0);
  });
});

describe('Zendesk: a customer writing several messages in a row', () => {
  it('"Hi" then the question: one reply to both, the first message left to the second', async () => {
    await setModes({ default: 'auto' });
    const id = ++nextTicket;
    const t = zendeskTicket(id, [customerAsks(1, 'Hi there'), customerAsks(2, `Where is my order ${ORDER}?`)]);
    ticketUpdates(id, t.puts, [[200, {}], [200, {}]]);
    await signedWebhook(id, 1, 'Hi there')();
    await signedWebhook(id, 2, `Where is my order ${ORDER}?`)();
    const first = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    const second = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:2` });
    expect([first.status, first.skip_reason]).toEqual(['skipped', 'superseded']);
    expect(second.status).toBe('processed');
    expect(t.puts).toHaveLength(1);
    expect(comment(t.puts[0]!)?.public).toBe(true);
    expect(text(t.puts[0]!)).toContain(TRACKING);
    // The turn answered both messages: the conversation holds them as one customer turn.
    const [msg] = await db.knex('messages').where({ conversation_id: second.conversation_id, role: 'user' });
    expect(msg.content).toBe(`Hi there\n\nWhere is my order ${ORDER}?`);
    expect(msg.metadata.covers).toEqual(['1', '2']);
    // A support lead can see why the first message got no reply of its own.
    const key = await addKey(db.knex, first.store_id, ['read']);
    const skipped = await supertest(app).get(`/api/v1/stores/${first.store_id}/inbound-events?status=skipped`).set(auth(key));
    expect(skipped.body.data.find((e: { id: string }) => e.id === first.id)).toMatchObject({ ticket_id: String(id), skip_reason: 'superseded' });
  });

  it('with a reply delay, a question sent a moment after "Hi" is answered together with it', async () => {
    await setModes({ default: 'auto' });
    await patchSettings({ reply_delay_s: 1 });
    try {
      const id = ++nextTicket;
      const comments = [customerAsks(1, 'Hi there')];
      const t = zendeskTicket(id, comments);
      ticketUpdates(id, t.puts, [[200, {}], [200, {}]]);
      await signedWebhook(id, 1, 'Hi there')();
      await new Promise((r) => setTimeout(r, 400));
      // Without the delay the bot would have answered "Hi there" on its own by now.
      expect(t.puts).toHaveLength(0);
      comments.push(customerAsks(2, `Where is my order ${ORDER}?`));
      await signedWebhook(id, 2, `Where is my order ${ORDER}?`)();
      const first = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
      const second = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:2` });
      expect([first.skip_reason, second.status]).toEqual(['superseded', 'processed']);
      expect(t.puts).toHaveLength(1);
      expect(text(t.puts[0]!)).toContain(TRACKING);
    } finally {
      await patchSettings({ reply_delay_s: 0 });
    }
  });

  it('a question that came in while the bot was answering the one before is answered too', async () => {
    await setModes({ default: 'auto' });
    const id = ++nextTicket;
    const comments = [customerAsks(1, `Where is my order ${ORDER}?`)];
    const t = zendeskTicket(id, comments);
    ticketUpdates(id, t.puts, [[200, {}], [200, {}]]);
    await signedWebhook(id, 1, `Where is my order ${ORDER}?`)();
    await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(t.puts).toHaveLength(1);
    // The customer's follow-up was written before the bot's reply landed in the thread.
    const earlier = new Date(Date.now() - 500).toISOString();
    comments.push({ id: 2, author_id: CUSTOMER, body: `When will ${ORDER} arrive?`, public: true, created_at: earlier });
    comments.push({ id: 3, author_id: BOT, body: 'Your order has shipped.', public: true, created_at: new Date().toISOString() });
    await signedWebhook(id, 2, `When will ${ORDER} arrive?`)();
    const ev = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:2` });
    expect([ev.status, ev.skip_reason]).toEqual(['processed', null]);
    expect(t.puts).toHaveLength(2);
    expect(comment(t.puts[1]!)?.public).toBe(true);
  });
});

describe('Zendesk: dead deliveries are listed and replayed once the cause is fixed', () => {
  it('a ticket refused by Zendesk (expired token) is dead, listed, and answered once when retried', async () => {
    await setModes({ default: 'draft', order_status: 'auto' });
    const readKey = await addKey(db.knex, store.id, ['read']);
    const writeKey = await addKey(db.knex, store.id, ['read', 'write']);
    const id = ++nextTicket;
    // The token was revoked: Zendesk refuses the first read, a permanent error (no retries).
    nock(BASE).get(`/api/v2/tickets/${id}.json`).query(true).reply(401, { error: "Couldn't authenticate you" });
    const send = signedWebhook(id, 1, `Where is my order ${ORDER}?`);
    expect((await send()).status).toBe(202);
    const dead = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(dead.status).toBe('dead');

    const list = await supertest(app).get(`/api/v1/stores/${store.id}/inbound-events`).set(auth(readKey));
    expect(list.status).toBe(200);
    const listed = list.body.data.find((e: { id: string }) => e.id === dead.id);
    expect(listed).toMatchObject({ source: 'zendesk', status: 'dead', retryable: true, attempts: 1, ticket_id: String(id) });
    expect(listed.error).toMatch(/authenticate/);
    // Reading is not enough to replay.
    expect((await supertest(app).post(`/api/v1/stores/${store.id}/inbound-events/${dead.id}/retry`).set(auth(readKey))).status).toBe(403);

    // The token is fixed: the replay answers the customer, once, even when clicked twice.
    const t = zendeskTicket(id, [customerAsks(1, `Where is my order ${ORDER}?`)]);
    ticketUpdates(id, t.puts, [[200, {}]]);
    const retry = () => supertest(app).post(`/api/v1/stores/${store.id}/inbound-events/${dead.id}/retry`).set(auth(writeKey));
    const first = await retry();
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ id: dead.id, status: 'queued' });
    expect((await retry()).status).toBe(409);
    const processed = await waitForEvent(ctx, { id: dead.id });
    expect(processed.status).toBe('processed');
    await new Promise((r) => setTimeout(r, 300));
    expect(t.puts).toHaveLength(1);
    expect(comment(t.puts[0]!)?.public).toBe(true);
    expect(text(t.puts[0]!)).toContain(TRACKING);
    // Delivered again by Zendesk later, it is a duplicate: still one reply.
    expect((await send()).status).toBe(200);
  });

  it('retry-dead requeues every readable dead delivery; an unreadable one is kept for inspection', async () => {
    await setModes({ default: 'draft', order_status: 'auto' });
    const writeKey = await addKey(db.knex, store.id, ['read', 'write']);
    const ids = [++nextTicket, ++nextTicket];
    for (const id of ids) nock(BASE).get(`/api/v2/tickets/${id}.json`).query(true).reply(403, { error: 'Forbidden' });
    for (const id of ids) expect((await signedWebhook(id, 1, `Where is my order ${ORDER}?`)()).status).toBe(202);
    for (const id of ids) expect((await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` })).status).toBe('dead');
    // A signed body that is not JSON: kept as a dead letter at intake, nothing a job could run.
    const raw = '{"ticket_id": "1", "latest_comment": "unterminated';
    const ts = new Date().toISOString();
    const res = await supertest(app).post('/webhooks/zendesk').set('Content-Type', 'application/json')
      .set('X-Zendesk-Webhook-Signature', createHmac('sha256', SECRET).update(ts + raw).digest('base64'))
      .set('X-Zendesk-Webhook-Signature-Timestamp', ts).send(raw);
    expect(res.status).toBe(400);
    const unreadable = await db.knex('inbound_events').where({ store_id: store.id, event_type: 'malformed_json' }).first();
    const listed = await supertest(app).get(`/api/v1/stores/${store.id}/inbound-events?status=dead`).set(auth(writeKey));
    expect(listed.body.data.find((e: { id: string }) => e.id === unreadable.id)).toMatchObject({ retryable: false });

    const puts = ids.map((id) => {
      const t = zendeskTicket(id, [customerAsks(1, `Where is my order ${ORDER}?`)]);
      ticketUpdates(id, t.puts, [[200, {}]]);
      return t.puts;
    });
    const all = await supertest(app).post(`/api/v1/stores/${store.id}/inbound-events/retry-dead`).set(auth(writeKey));
    expect(all.status).toBe(202);
    expect(all.body.queued).toBeGreaterThanOrEqual(2);
    for (const id of ids) expect((await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` })).status).toBe('processed');
    expect(puts.map((p) => p.length)).toEqual([1, 1]);
    const kept = await supertest(app).post(`/api/v1/stores/${store.id}/inbound-events/${unreadable.id}/retry`).set(auth(writeKey));
    expect(kept.status).toBe(409);
    expect(kept.body.error.message).toMatch(/kept for inspection/);
  });

  it('the summary says how many tickets wait on the bot, since when, and how many are dead', async () => {
    const readKey = await addKey(db.knex, store.id, ['read']);
    const summary = async () => {
      const res = await supertest(app).get(`/api/v1/stores/${store.id}/inbound-events/summary`).set(auth(readKey));
      expect(res.status).toBe(200);
      return res.body as { pending: number; oldest_pending_s: number | null; dead: number };
    };
    const before = await summary();
    expect(before.pending).toBe(0);
    expect(before.oldest_pending_s).toBeNull();
    const deadNow = (await db.knex('inbound_events').where({ store_id: store.id, status: 'dead' }).count({ n: '*' }).first())!.n;
    expect(before.dead).toBe(Number(deadNow));

    // A delivery queued three minutes ago that no worker picked up (workers stopped, say).
    const [stuck] = await db.knex('inbound_events')
      .insert({ store_id: store.id, source: 'zendesk', idempotency_key: 'summary-stuck', event_type: 'ticket_comment', payload: JSON.stringify({}), status: 'queued', received_at: new Date(Date.now() - 180_000) })
      .returning('id');
    try {
      const after = await summary();
      expect(after.pending).toBe(1);
      expect(after.oldest_pending_s).toBeGreaterThanOrEqual(180);
      expect(after.oldest_pending_s).toBeLessThan(240);
      expect(after.dead).toBe(before.dead);
    } finally {
      await db.knex('inbound_events').where({ id: stuck.id }).delete();
    }
    // Another store's key cannot read this store's summary.
    const other = await db.knex('stores').insert({ slug: 'summary-other', name: 'Other', settings: JSON.stringify({}) }).returning('id');
    const otherKey = await addKey(db.knex, other[0].id, ['admin']);
    expect((await supertest(app).get(`/api/v1/stores/${store.id}/inbound-events/summary`).set(auth(otherKey))).status).toBe(403);
  });
});
