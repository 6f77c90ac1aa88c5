import { readFileSync } from 'node:fs';
import nock from 'nock';
import supertest from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { parseSettings } from '../../../src/domain/settings.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { updateStoreSettings } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { loadDemoStore } from '../../helpers/stores.js';
import { startTestWorkers, waitForEvent } from '../../helpers/workers.js';

// Gorgias end to end: HTTP-integration webhook ({{context}} body, shared secret) → worker → Gorgias
// REST API (nock; shapes from test/fixtures/gorgias/SOURCES.md).
const BASE = 'https://acme.gorgias.com';
const SECRET = 'gorgias-flow-shared-secret-123456';
const BOT = 5000001;
const TEAM = '4401';
const ORDER = '#W2611340';
const TRACKING = '357962501027';
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/gorgias/${name}.json`, import.meta.url), 'utf8'));

let db: TestDb;
let ctx: AppContext;
let app: ReturnType<typeof createApp>;
let workers: Awaited<ReturnType<typeof startTestWorkers>>;
let owner: { email: string; name: string };
let nextTicket = 90_000_000;

beforeAll(async () => {
  db = await createTestDb();
  ctx = await createTestContext(db, {
    GORGIAS_ACCOUNT: 'acme',
    GORGIAS_EMAIL: 'bot@acme.example',
    GORGIAS_API_KEY: 'gg-key',
    GORGIAS_WEBHOOK_SECRET: SECRET,
    GORGIAS_BOT_USER_ID: String(BOT),
    // When a message's job runs before the next message's webhook is recorded, it waits for that
    // webhook 5 s here (src/delivery/supersede.ts), not the production 2 minutes.
    NEWER_WEBHOOK_WAIT_S: '5',
  });
  const demo = await loadDemoStore(db.knex);
  await updateStoreSettings(db.knex, demo.id, parseSettings({ ...demo.settings, modes: { default: 'auto' }, confidence_threshold: 0.5, escalation: { gorgias: { teamId: TEAM } } }));
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

function customerMessage(ticketId: number, messageId: number, text: string) {
  const base = fixture('webhook-message-created').message;
  return {
    ...base,
    id: messageId,
    ticket_id: ticketId,
    sender: { ...base.sender, email: owner.email, name: owner.name },
    source: { ...base.source, from: { address: owner.email, name: owner.name } },
    body_text: text,
    stripped_text: text,
    body_html: `<div>${text}</div>`,
    stripped_html: `<div>${text}</div>`,
    created_datetime: new Date(Date.now() - 1000).toISOString(),
  };
}

function gorgiasTicket(ticketId: number, messages: Record<string, unknown>[]) {
  const posts: Record<string, any>[] = [];
  const puts: Record<string, any>[] = [];
  const ticket = { ...fixture('ticket'), id: ticketId, customer: { id: 7000001, email: owner.email, name: owner.name }, assignee_user: null, messages };
  nock(BASE)
    .persist()
    .get(`/api/tickets/${ticketId}`)
    .reply(200, ticket)
    .get(`/api/tickets/${ticketId}/messages`)
    .query(true)
    .reply(200, () => ({ data: messages, meta: { next_cursor: null, prev_cursor: null } }))
    .put(`/api/tickets/${ticketId}`)
    .reply(200, (_u, body) => {
      puts.push(body as Record<string, any>);
      return { ...ticket };
    });
  return { posts, puts, messages };
}

function messagePosts(ticketId: number, posts: Record<string, any>[], statuses: number[]) {
  const s = nock(BASE);
  for (const status of statuses) {
    s.post(`/api/tickets/${ticketId}/messages`).reply((_u, body) => {
      if (status === 201 || status === 200) posts.push(body as Record<string, any>);
      return [status, status < 300 ? { ...fixture('message-created-response'), id: 300000000 + posts.length } : { error: { msg: 'boom' } }];
    });
  }
}

const deliver = (message: Record<string, unknown>, secret = SECRET) =>
  supertest(app).post('/webhooks/gorgias').set('Content-Type', 'application/json').set('X-Gorgias-Token', secret).send(JSON.stringify({ message }));

describe('Gorgias: a customer message through the bot', () => {
  it('auto mode: one public reply on the ticket channel with the real status and tracking', async () => {
    const id = ++nextTicket;
    const msg = customerMessage(id, 1, `Hi, where is my order ${ORDER}?`);
    const t = gorgiasTicket(id, [msg]);
    messagePosts(id, t.posts, [201]);
    expect((await deliver(msg)).status).toBe(202);
    expect((await waitForEvent(ctx, { idempotency_key: `gorgias:acme:${id}:1` })).status).toBe('processed');
    expect(t.posts).toHaveLength(1);
    expect(t.posts[0]!.channel).toBe('email');
    expect(t.posts[0]!.from_agent).toBe(true);
    expect(`${t.posts[0]!.body_text ?? ''}${t.posts[0]!.body_html ?? ''}`).toContain(TRACKING);
  });

  it('"I want to speak to a person": reassigned to the team with an internal note, no public reply', async () => {
    const id = ++nextTicket;
    const msg = customerMessage(id, 1, 'I want to speak to a person please');
    const t = gorgiasTicket(id, [msg]);
    messagePosts(id, t.posts, [201]);
    await deliver(msg);
    await waitForEvent(ctx, { idempotency_key: `gorgias:acme:${id}:1` });
    expect(t.puts.some((p) => String(p.assignee_team?.id) === TEAM)).toBe(true);
    expect(t.posts.every((p) => p.channel === 'internal-note')).toBe(true);
    expect(t.posts).toHaveLength(1);
  });

  it('a vendor 500 then 201 gives one reply after the job retries; three deliveries give one event', async () => {
    const id = ++nextTicket;
    const msg = customerMessage(id, 1, `Where is my order ${ORDER}?`);
    const t = gorgiasTicket(id, [msg]);
    messagePosts(id, t.posts, [500, 201]);
    expect([(await deliver(msg)).status, (await deliver(msg)).status, (await deliver(msg)).status]).toEqual([202, 200, 200]);
    const ev = await waitForEvent(ctx, { idempotency_key: `gorgias:acme:${id}:1` });
    expect(ev.status).toBe('processed');
    expect(t.posts).toHaveLength(1);
  });

  it('a wrong shared secret gets 401 and records nothing', async () => {
    const id = ++nextTicket;
    const res = await deliver(customerMessage(id, 1, 'hello'), 'not-the-secret-at-all-000000');
    expect(res.status).toBe(401);
    expect(await db.knex('inbound_events').where({ idempotency_key: `gorgias:acme:${id}:1` })).toHaveLength(0);
  });

  it('two messages in a row get one public reply answering both', async () => {
    const id = ++nextTicket;
    const hi = customerMessage(id, 1, 'Hello!');
    const question = customerMessage(id, 2, `Where is my order ${ORDER}?`);
    const t = gorgiasTicket(id, [hi, question]);
    messagePosts(id, t.posts, [201, 201]);
    await deliver(hi);
    await deliver(question);
    const first = await waitForEvent(ctx, { idempotency_key: `gorgias:acme:${id}:1` });
    const second = await waitForEvent(ctx, { idempotency_key: `gorgias:acme:${id}:2` });
    expect([first.skip_reason, second.status]).toEqual(['superseded', 'processed']);
    expect(t.posts).toHaveLength(1);
    expect(t.posts[0]!.channel).toBe('email');
    expect(`${t.posts[0]!.body_text ?? ''}${t.posts[0]!.body_html ?? ''}`).toContain(TRACKING);
  });

  it("a newer message whose webhook never comes is answered with the one before, after the wait", async () => {
    const id = ++nextTicket;
    const hi = customerMessage(id, 1, 'Hello!');
    const question = customerMessage(id, 2, `Where is my order ${ORDER}?`);
    const t = gorgiasTicket(id, [hi, question]);
    messagePosts(id, t.posts, [201]);
    await deliver(hi);
    const ev = await waitForEvent(ctx, { idempotency_key: `gorgias:acme:${id}:1` });
    expect([ev.status, ev.skip_reason]).toEqual(['processed', null]);
    expect(t.posts).toHaveLength(1);
    expect(`${t.posts[0]!.body_text ?? ''}${t.posts[0]!.body_html ?? ''}`).toContain(TRACKING);
    const [msg] = await db.knex('messages').where({ conversation_id: ev.conversation_id, role: 'user' });
    expect(msg.metadata.covers).toEqual(['1', '2']);
  });

  it('a ticket an agent already answered gets nothing', async () => {
    const id = ++nextTicket;
    const msg = customerMessage(id, 1, `Where is my order ${ORDER}?`);
    const agentReply = { ...fixture('webhook-message-from-agent').message, id: 2, ticket_id: id, created_datetime: new Date().toISOString() };
    const t = gorgiasTicket(id, [msg, agentReply]);
    await deliver(msg);
    const ev = await waitForEvent(ctx, { idempotency_key: `gorgias:acme:${id}:1` });
    expect(ev.skip_reason).toBe('human_replied');
    expect(t.posts).toHaveLength(0);
  });
});
