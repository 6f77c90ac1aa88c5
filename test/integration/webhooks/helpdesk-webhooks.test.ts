/**
 * POST /webhooks/zendesk and /webhooks/gorgias against the real app: PGlite (or TEST_DATABASE_URL),
 * real Redis, really signed requests. What a helpdesk admin would notice: each customer message
 * becomes exactly one recorded event and one job, whatever the vendor redelivers; forged, stale,
 * broken or foreign requests are refused without recording or enqueuing anything.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { helpdeskWebhooksRouter, helpdeskWebhookTargets } from '../../../src/http/webhooks/helpdesk.js';
import { deleteCredentials, saveCredentials } from '../../../src/store/credentials.js';
import { createStore, type Store } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';

const ZD_SECRET = 'zendesk-webhook-signing-secret';
const GG_SECRET = 'gorgias-shared-secret-0123456789';
const OTHER_SECRET = 'other-shop-secret-abcdefghijkl';
const ENV = {
  ZENDESK_SUBDOMAIN: 'acme',
  ZENDESK_EMAIL: 'bot@acme-support.example',
  ZENDESK_API_TOKEN: 'zd-token',
  ZENDESK_WEBHOOK_SECRET: ZD_SECRET,
  ZENDESK_BOT_USER_ID: '900000000001',
  GORGIAS_ACCOUNT: 'acme',
  GORGIAS_EMAIL: 'bot@acme-support.example',
  GORGIAS_API_KEY: 'gg-key',
  GORGIAS_WEBHOOK_SECRET: GG_SECRET,
  GORGIAS_BOT_USER_ID: '5000001',
  BODY_LIMIT_BYTES: '16384',
};

const fixture = (vendor: string, name: string): Record<string, unknown> => {
  const url = new URL(`../../fixtures/${vendor}/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8'));
};

/** A customer comment with its own comment id, so each test starts from a new message. */
const zendeskComment = (commentId: string, over: Record<string, unknown> = {}) => {
  const body = fixture('zendesk', 'webhook-trigger-customer-comment');
  return JSON.stringify({ ...body, comment_id: commentId, ...over });
};

const gorgiasMessage = (messageId: number) => {
  const body = fixture('gorgias', 'webhook-message-created') as { message: object };
  return JSON.stringify({ message: { ...body.message, id: messageId } });
};

/** Signed as Zendesk signs: base64(HMAC-SHA256(secret, timestamp + raw body)). */
function zendeskHeaders(raw: string, at = new Date(), secret = ZD_SECRET): Record<string, string> {
  const ts = at.toISOString();
  return {
    'Content-Type': 'application/json',
    'X-Zendesk-Webhook-Signature': createHmac('sha256', secret).update(ts + raw).digest('base64'),
    'X-Zendesk-Webhook-Signature-Timestamp': ts,
  };
}

let testDb: TestDb;
let ctx: AppContext;
let app: ReturnType<typeof createApp>;
let demo: Store;
let other: Store;

const postZendesk = (raw: string, path = '/webhooks/zendesk', headers = zendeskHeaders(raw)) =>
  request(app).post(path).set(headers).send(raw);

async function counts(storeId = demo.id) {
  const [row] = await ctx
    .db('inbound_events')
    .where({ store_id: storeId })
    .count<{ n: string }[]>({ n: '*' });
  const queue = ctx.queues.queue('inbound.process');
  const jobs = await queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');
  return { rows: Number(row?.n ?? 0), jobs: Object.values(jobs).reduce((a, b) => a + b, 0) };
}

const eventByKey = (key: string) =>
  ctx.db('inbound_events').where({ idempotency_key: key }).first();

beforeAll(async () => {
  testDb = await createTestDb();
  ctx = await createTestContext(testDb, ENV);
  app = createApp(ctx, routeModules(ctx));
  demo = await createStore(ctx.db, { slug: 'demo', name: 'Demo' });
  other = await createStore(ctx.db, { slug: 'other-shop', name: 'Other shop' });
  await saveCredentials(ctx.db, ctx.encryptionKey, {
    storeId: other.id,
    kind: 'gorgias',
    secrets: { email: 'ops@other.example', apiKey: 'k', webhookSecret: OTHER_SECRET },
    meta: { account: 'othershop' },
  });
});

afterAll(async () => {
  await ctx?.close();
  await testDb?.close();
});

describe('POST /webhooks/zendesk', () => {
  it('accepts a signed customer comment: 202, one event, one job with ids only', async () => {
    const before = await counts();
    const res = await postZendesk(zendeskComment('7000000001'));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: 'accepted' });
    expect(await counts()).toEqual({ rows: before.rows + 1, jobs: before.jobs + 1 });

    const row = await eventByKey('zendesk:acme:35436:7000000001');
    expect(row).toMatchObject({
      store_id: demo.id,
      source: 'zendesk',
      event_type: 'customer_message',
      status: 'queued',
    });
    expect(row.payload).toMatchObject({
      externalTicketId: '35436',
      customerEmail: 'noah.brown7922@example.com',
    });
    const job = await ctx.queues.queue('inbound.process').getJob(`ie-${row.id}`);
    expect(job?.data).toEqual({ storeId: demo.id, inboundEventId: row.id });
  });

  it('records and enqueues a message delivered three times only once', async () => {
    const before = await counts();
    const raw = zendeskComment('7000000002');
    const statuses: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await postZendesk(raw);
      statuses.push(`${res.status} ${res.body.status}`);
    }
    expect(statuses).toEqual(['202 accepted', '200 duplicate', '200 duplicate']);
    expect(await counts()).toEqual({ rows: before.rows + 1, jobs: before.jobs + 1 });
  });

  it.each([
    ['a wrong secret', (raw: string) => zendeskHeaders(raw, new Date(), 'not-the-secret')],
    ['no signature', () => ({ 'Content-Type': 'application/json' })],
    ['a stale timestamp', (raw: string) => zendeskHeaders(raw, new Date(Date.now() - 600_000))],
  ])('answers 401 to %s and records nothing', async (_label, headers) => {
    const before = await counts();
    const raw = zendeskComment('7000000003');
    const res = await postZendesk(raw, '/webhooks/zendesk', headers(raw));
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toContain(ZD_SECRET);
    expect(await counts()).toEqual(before);
  });

  it('answers 400 to a signed body that is not JSON, keeping it as a dead letter', async () => {
    const before = await counts();
    const raw = '{"ticket_id": "35436", "latest_comment": "unterminated';
    const res = await postZendesk(raw);
    expect(res.status).toBe(400);
    expect(await counts()).toEqual({ rows: before.rows + 1, jobs: before.jobs });
    const dead = await ctx
      .db('inbound_events')
      .where({ store_id: demo.id, status: 'dead' })
      .first();
    expect(dead).toMatchObject({ source: 'zendesk', event_type: 'malformed_json' });
    expect(dead.payload.raw).toBe(raw);
  });

  it.each([
    ['an agent reply', 'webhook-trigger-agent-reply'],
    ['the bot’s own comment', 'webhook-trigger-bot-comment'],
    ['an internal note', 'webhook-trigger-internal-note'],
  ])('answers 200 ignored to %s and enqueues nothing', async (_label, name) => {
    const before = await counts();
    const res = await postZendesk(JSON.stringify(fixture('zendesk', name)));
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ignored');
    expect(await counts()).toEqual(before);
  });

  it('answers 404 for an unknown store and for a store without Zendesk', async () => {
    const raw = zendeskComment('7000000004');
    expect((await postZendesk(raw, '/webhooks/zendesk?store=no-such-store')).status).toBe(404);
    expect((await postZendesk(raw, '/webhooks/zendesk?store=other-shop')).status).toBe(404);
  });

  it('answers 413 to a body over BODY_LIMIT_BYTES', async () => {
    const before = await counts();
    const huge = zendeskComment('7000000005', { latest_comment: 'x'.repeat(20_000) });
    const res = await postZendesk(huge);
    expect(res.status).toBe(413);
    expect(await counts()).toEqual(before);
  });

  it('answers 503 + Retry-After when the queue is down; the vendor retry is queued', async () => {
    const down = await createTestContext(testDb, ENV);
    down.redis.disconnect();
    const raw = zendeskComment('7000000006');
    const before = await counts();
    const res = await request(createApp(down, routeModules(down)))
      .post('/webhooks/zendesk')
      .set(zendeskHeaders(raw))
      .send(raw);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(await counts()).toEqual({ rows: before.rows + 1, jobs: before.jobs });
    expect((await eventByKey('zendesk:acme:35436:7000000006')).status).toBe('received');

    const retry = await postZendesk(raw);
    expect(retry.status).toBeLessThan(300);
    expect(await counts()).toEqual({ rows: before.rows + 1, jobs: before.jobs + 1 });
    await down.close();
  });
});

describe('a crash between recording an event and enqueuing it', () => {
  it('leaves a queued row that the redelivery enqueues, once', async () => {
    const raw = zendeskComment('7000000007');
    expect((await postZendesk(raw)).status).toBe(202);
    const row = await eventByKey('zendesk:acme:35436:7000000007');
    const queue = ctx.queues.queue('inbound.process');
    // What the process would have left had it died after the commit: the row, no job.
    await (await queue.getJob(`ie-${row.id}`))!.remove();
    const before = await counts();

    const again = await postZendesk(raw);
    expect(again.status).toBe(200);
    expect(await queue.getJob(`ie-${row.id}`)).toBeDefined();
    expect(await counts()).toEqual({ rows: before.rows, jobs: before.jobs + 1 });
    // A further redelivery while the job waits adds nothing.
    await postZendesk(raw);
    expect(await counts()).toEqual({ rows: before.rows, jobs: before.jobs + 1 });
  });
});

describe('POST /webhooks/gorgias', () => {
  const post = (raw: string, path = '/webhooks/gorgias', token: string | null = GG_SECRET) =>
    request(app)
      .post(path)
      .set({ 'Content-Type': 'application/json', ...(token ? { 'X-Gorgias-Token': token } : {}) })
      .send(raw);

  it('accepts a customer message with the secret in the header or the URL, once each', async () => {
    const before = await counts();
    expect((await post(gorgiasMessage(309000001))).status).toBe(202);
    const urlWithToken = `/webhooks/gorgias?token=${GG_SECRET}`;
    const viaUrl = await post(gorgiasMessage(309000002), urlWithToken, null);
    expect(viaUrl.status).toBe(202);
    expect((await post(gorgiasMessage(309000001))).body).toEqual({ status: 'duplicate' });
    expect(await counts()).toEqual({ rows: before.rows + 2, jobs: before.jobs + 2 });
    const row = await eventByKey('gorgias:acme:86538298:309000001');
    expect(row).toMatchObject({ store_id: demo.id, source: 'gorgias' });
  });

  it('answers 401 to a wrong or missing token and records nothing', async () => {
    const before = await counts();
    const raw = gorgiasMessage(309000003);
    expect((await post(raw, '/webhooks/gorgias', 'wrong-token-wrong-token')).status).toBe(401);
    expect((await post(raw, '/webhooks/gorgias', null)).status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it('ignores agent messages, internal notes and the bot’s own messages', async () => {
    const before = await counts();
    const names = ['webhook-message-from-agent', 'webhook-internal-note', 'webhook-bot-message'];
    for (const name of names) {
      const res = await post(JSON.stringify(fixture('gorgias', name)));
      expect(res.body.status).toBe('ignored');
    }
    expect(await counts()).toEqual(before);
  });

  it('uses the credentials of the store named by ?store=, not the demo secret', async () => {
    const before = await counts(other.id);
    const path = '/webhooks/gorgias?store=other-shop';
    expect((await post(gorgiasMessage(309000004), path)).status).toBe(401);
    expect((await post(gorgiasMessage(309000004), path, OTHER_SECRET)).status).toBe(202);
    expect(await counts(other.id)).toMatchObject({ rows: before.rows + 1 });
    const row = await eventByKey('gorgias:othershop:86538298:309000004');
    expect(row).toMatchObject({ store_id: other.id });
  });
});

describe('the store and connection a web process remembers', () => {
  it('takes a secret changed elsewhere at once, and a connection deleted elsewhere within five seconds', async () => {
    // Another web process (here: the database directly) changes the connection; this one
    // remembers what it read, with its own clock.
    let clock = Date.now();
    const targets = helpdeskWebhookTargets(ctx, { now: () => clock });
    const web = createApp(ctx, [{ path: '/webhooks', router: helpdeskWebhooksRouter(ctx, { targets }), rawBody: true }]);
    const shop = await createStore(ctx.db, { slug: 'rotating-shop', name: 'Rotating shop' });
    const connect = (webhookSecret: string) =>
      saveCredentials(ctx.db, ctx.encryptionKey, {
        storeId: shop.id,
        kind: 'gorgias',
        secrets: { email: 'ops@rotating.example', apiKey: 'k', webhookSecret },
        meta: { account: 'rotating' },
      });
    const post = (messageId: number, token: string) =>
      request(web)
        .post('/webhooks/gorgias?store=rotating-shop')
        .set({ 'Content-Type': 'application/json', 'X-Gorgias-Token': token })
        .send(gorgiasMessage(messageId));
    const oldSecret = 'rotating-secret-old-0123456789';
    const newSecret = 'rotating-secret-new-0123456789';

    await connect(oldSecret);
    expect((await post(309000101, oldSecret)).status).toBe(202);
    await connect(newSecret);
    expect((await post(309000102, newSecret)).status).toBe(202);
    expect((await post(309000103, oldSecret)).status).toBe(401);

    await deleteCredentials(ctx.db, shop.id, 'gorgias');
    clock += 5_000;
    const gone = await post(309000104, newSecret);
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toBe('gorgias is not connected for this store');
    expect((await counts(shop.id)).rows).toBe(2);
  });
});
