import { createHmac } from 'node:crypto';
import nock from 'nock';
import supertest from 'supertest';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { parseSettings } from '../../../src/domain/settings.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { updateStoreSettings, type Store } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { loadDemoStore } from '../../helpers/stores.js';
import { startTestWorkers } from '../../helpers/workers.js';
import { addKey, auth } from '../api/api-helpers.js';

/**
 * Zendesk end to end, for the flow tests: signed webhook → inbound_events → BullMQ → worker (guard,
 * pipeline, delivery) → Zendesk API (nock, shapes from test/fixtures/zendesk/SOURCES.md).
 * `useZendeskFlow()` starts the database, the app and the workers for the calling test file; the
 * exported bindings (db, ctx, app, store, owner) are live and filled in by its beforeAll.
 */
export const BASE = 'https://acme.zendesk.com';
export const SECRET = 'zendesk-flow-signing-secret';
export const BOT = 900000000001;
export const CUSTOMER = 381000000001;
export const AGENT = 381000000002;
export const GROUP = '360000000099';
export const ORDER = '#W2611340'; // in transit, tracking 357962501027
export const TRACKING = '357962501027';

export let db: TestDb;
export let ctx: AppContext;
export let store: Store;
export let app: ReturnType<typeof createApp>;
export let owner: { email: string; name: string };
let workers: Awaited<ReturnType<typeof startTestWorkers>>;
let lastTicket = 50_000;

/** A ticket id no other test of the file uses. */
export const nextTicketId = () => ++lastTicket;

export function useZendeskFlow(): void {
  beforeAll(async () => {
    db = await createTestDb();
    ctx = await createTestContext(db, {
      ZENDESK_SUBDOMAIN: 'acme',
      ZENDESK_EMAIL: 'bot@acme.example',
      ZENDESK_API_TOKEN: 'zd-token',
      ZENDESK_WEBHOOK_SECRET: SECRET,
      ZENDESK_BOT_USER_ID: String(BOT),
      // A newer message's webhook is waited for 5 s (2 minutes in production) before the older
      // message's job answers both (src/delivery/supersede.ts).
      NEWER_WEBHOOK_WAIT_S: '5',
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
}

export async function setModes(modes: Record<string, string>) {
  const current = (await db.knex('stores').where({ slug: 'demo' }).first()).settings;
  store = await updateStoreSettings(
    db.knex,
    (await db.knex('stores').where({ slug: 'demo' }).first()).id,
    parseSettings({ ...current, modes, confidence_threshold: 0.5, escalation: { zendesk: { groupId: GROUP } } }),
  );
}

/** Through the API, as an admin would: the webhook route forgets the store's remembered settings. */
export async function patchSettings(patch: Record<string, unknown>) {
  const { id } = await db.knex('stores').where({ slug: 'demo' }).first('id');
  const res = await supertest(app).patch(`/api/v1/stores/${id}`).set(auth(await addKey(db.knex, id, ['admin']))).send({ settings: patch });
  expect(res.status).toBe(200);
}

export type Comment = { id: number; author_id: number; body: string; public: boolean; created_at: string };

/** A ticket whose thread is `comments`; records every PUT the bot makes. */
export function zendeskTicket(ticketId: number, comments: Comment[]) {
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
export function ticketUpdates(ticketId: number, puts: Record<string, any>[], replies: [number, object, Record<string, string>?][]) {
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

export function signedWebhook(ticketId: number, commentId: number, text: string) {
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

export const customerAsks = (id: number, text: string): Comment => ({ id, author_id: CUSTOMER, body: text, public: true, created_at: new Date(Date.now() - 1000).toISOString() });
export const comment = (put: Record<string, any>) => put.comment as { public: boolean; html_body?: string; body?: string } | undefined;
export const text = (put: Record<string, any>) => `${comment(put)?.html_body ?? ''}${comment(put)?.body ?? ''}`;

