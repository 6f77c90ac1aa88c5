import { randomBytes } from 'node:crypto';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { createEmailConnector } from '../../../connectors/email/email.factory.js';
import { decodeEmailWebhook } from '../../../connectors/email/email.payloads.js';
import { mailgunSignature } from '../../../connectors/email/email.webhooks.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { saveCredentials } from '../../../src/store/credentials.js';
import { parseSettings } from '../../../src/domain/settings.js';
import { createStore, updateStoreSettings, type Store } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';

const MAILGUN_KEY = 'key-test-0f3b2c1d4e5a69788796a5b4c3d2e1f0';
const TOKEN = 'env-inbound-token-5b1c9d7e';
const ACME_TOKEN = 'acme-inbound-token-77aa31c0';

let db: TestDb;
let ctx: AppContext;
let http: ReturnType<typeof supertest>;
let demo: Store;
let acme: Store;

/** A Mailgun forward() POST (urlencoded), signed like Mailgun signs it. */
function mailgunForm(fields: Record<string, string>, opts: { key?: string; ageS?: number; unsigned?: boolean } = {}) {
  const timestamp = String(Math.floor(Date.now() / 1000) - (opts.ageS ?? 0));
  const token = randomBytes(25).toString('hex');
  const signed: Record<string, string> = opts.unsigned
    ? {}
    : { timestamp, token, signature: mailgunSignature(opts.key ?? MAILGUN_KEY, timestamp, token) };
  return new URLSearchParams({ ...signed, ...fields }).toString();
}

const customerFields = (id: string, extraHeaders: [string, string][] = []) => ({
  sender: 'ann.lee@example.com',
  from: 'Ann Lee <ann.lee@example.com>',
  recipient: 'support@shop.test',
  subject: 'Where is my order #W2378156?',
  'body-plain': 'Hi, where is order #W2378156?\n\nAnn',
  'stripped-text': 'Hi, where is order #W2378156?',
  'message-headers': JSON.stringify([['Message-Id', id], ['To', 'support@shop.test'], ['Date', new Date().toUTCString()], ...extraHeaders]),
});

/** Postmark inbound JSON (postmarkapp.com/developer/webhooks/inbound-webhook). */
const postmark = (id: string, from = 'bo@example.com') => ({
  From: from,
  FromName: 'Bo',
  FromFull: { Email: from, Name: 'Bo', MailboxHash: '' },
  ToFull: [{ Email: 'support@shop.test', Name: '', MailboxHash: '' }],
  Subject: 'Cancel my order',
  MessageID: randomBytes(8).toString('hex'),
  Date: new Date().toUTCString(),
  TextBody: 'Please cancel #W2378156',
  StrippedTextReply: '',
  Headers: [{ Name: 'Message-ID', Value: id }],
  Attachments: [],
});

const rows = async (storeId: string) => db.knex('inbound_events').where({ store_id: storeId }).orderBy('received_at');

beforeAll(async () => {
  db = await createTestDb();
  ctx = await createTestContext(db, { MAILGUN_SIGNING_KEY: MAILGUN_KEY, INBOUND_EMAIL_TOKEN: TOKEN, EMAIL_FROM: 'support@shop.test' });
  demo = await createStore(db.knex, { slug: 'demo', name: 'Demo' });
  acme = await createStore(db.knex, { slug: 'acme', name: 'Acme' });
  await saveCredentials(db.knex, ctx.encryptionKey, {
    storeId: acme.id,
    kind: 'email',
    secrets: { smtp: { url: 'smtp://127.0.0.1:2525' }, inboundToken: ACME_TOKEN },
    meta: { fromAddress: 'help@acme.test' },
  });
  http = supertest(createApp(ctx, routeModules(ctx)));
});

afterAll(async () => {
  await ctx?.close();
  await db?.close();
});

const FORM = 'application/x-www-form-urlencoded';

describe('POST /webhooks/email/mailgun', () => {
  it('accepts a signed delivery: 202, one event, one job', async () => {
    const res = await http.post('/webhooks/email/mailgun?store=demo').type(FORM).send(mailgunForm(customerFields('<mg-1@example.com>')));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'accepted', id: expect.any(String) });
    const [row] = await rows(demo.id);
    expect(row).toMatchObject({ source: 'email', idempotency_key: 'email:<mg-1@example.com>', status: 'queued' });
    expect(row.payload).toMatchObject({ channel: 'email', externalTicketId: '<mg-1@example.com>', body: 'Hi, where is order #W2378156?', customerEmail: 'ann.lee@example.com' });
    expect(await ctx.queues.queue('inbound.process').getJob(`ie-${row.id}`)).toBeTruthy();
  });

  it('a redelivery (new token, same message) is a 200 duplicate and records nothing new', async () => {
    const res = await http.post('/webhooks/email/mailgun?store=demo').type(FORM).send(mailgunForm(customerFields('<mg-1@example.com>')));
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('duplicate');
    expect(await rows(demo.id)).toHaveLength(1);
  });

  it.each([
    ['unsigned', { unsigned: true }],
    ['signed with another key', { key: 'key-someone-else' }],
    ['signed 10 minutes ago (replay)', { ageS: 600 }],
  ])('%s: 401 and nothing recorded', async (_name, opts) => {
    const res = await http.post('/webhooks/email/mailgun?store=demo').type(FORM).send(mailgunForm(customerFields(`<mg-bad-${randomBytes(3).toString('hex')}@example.com>`), opts));
    expect(res.status).toBe(401);
    expect(await rows(demo.id)).toHaveLength(1);
  });

  it('accepts multipart with attachments and keeps their metadata', async () => {
    const form = new FormData();
    for (const [k, v] of new URLSearchParams(mailgunForm(customerFields('<mg-2@example.com>')))) form.append(k, v);
    form.append('attachment-count', '1');
    form.append('attachment-1', new Blob([new Uint8Array(3000)], { type: 'image/jpeg' }), 'parcel.jpg');
    const body = new Response(form);
    const res = await http
      .post('/webhooks/email/mailgun?store=demo')
      .set('content-type', body.headers.get('content-type')!)
      .send(Buffer.from(await body.arrayBuffer()));
    expect(res.status).toBe(202);
    const row = (await rows(demo.id)).find((r) => r.idempotency_key === 'email:<mg-2@example.com>');
    expect(row.payload.meta.attachments).toEqual([{ filename: 'parcel.jpg', contentType: 'image/jpeg', size: 3000 }]);
  });

  it.each([
    ['an out-of-office', [['Auto-Submitted', 'auto-replied']], 'auto_submitted'],
    ['a list message', [['List-Id', 'News <news.example.org>'], ['Precedence', 'list']], 'precedence'],
  ] as const)('a signed %s: 200 ignored, nothing recorded', async (_name, headers, reason) => {
    const fields = customerFields(`<mg-ign-${randomBytes(3).toString('hex')}@example.com>`, headers as unknown as [string, string][]);
    const res = await http.post('/webhooks/email/mailgun?store=demo').type(FORM).send(mailgunForm(fields));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ignored', reason });
    expect(await rows(demo.id)).toHaveLength(2);
  });

  it('a bounce (empty envelope sender) is ignored', async () => {
    const fields = { ...customerFields('<mg-bounce@example.com>'), sender: '', from: 'Mail Delivery System <MAILER-DAEMON@mx.example.com>' };
    const res = await http.post('/webhooks/email/mailgun?store=demo').type(FORM).send(mailgunForm(fields));
    expect(res.body).toEqual({ status: 'ignored', reason: 'null_return_path' });
  });
});

describe('POST /webhooks/email/postmark and /sendgrid (shared token)', () => {
  it('Postmark with ?token= is accepted; without it or with a wrong one, 401 and nothing recorded', async () => {
    const before = (await rows(demo.id)).length;
    const none = await http.post('/webhooks/email/postmark?store=demo').send(postmark('<pm-1@example.com>'));
    expect(none.status).toBe(401);
    const wrong = await http.post(`/webhooks/email/postmark?store=demo&token=${TOKEN}x`).send(postmark('<pm-1@example.com>'));
    expect(wrong.status).toBe(401);
    expect(await rows(demo.id)).toHaveLength(before);
    const ok = await http.post(`/webhooks/email/postmark?store=demo&token=${TOKEN}`).send(postmark('<pm-1@example.com>'));
    expect(ok.status).toBe(202);
    const row = (await rows(demo.id)).find((r) => r.idempotency_key === 'email:<pm-1@example.com>');
    expect(row.payload).toMatchObject({ customerEmail: 'bo@example.com', body: 'Please cancel #W2378156', subject: 'Cancel my order' });
  });

  it('Postmark with basic auth is accepted', async () => {
    const res = await http.post('/webhooks/email/postmark?store=demo').auth('postmark', TOKEN).send(postmark('<pm-2@example.com>'));
    expect(res.status).toBe(202);
  });

  it('SendGrid Inbound Parse multipart with the token is accepted', async () => {
    const form = new FormData();
    form.append('headers', `Message-ID: <sg-1@example.com>\nFrom: Cy <cy@example.com>\nTo: support@shop.test\nSubject: Return\nDate: ${new Date().toUTCString()}\n`);
    form.append('from', 'Cy <cy@example.com>');
    form.append('to', 'support@shop.test');
    form.append('subject', 'Return');
    form.append('text', 'I want to return my shoes from #W2378156');
    form.append('envelope', JSON.stringify({ to: ['support@shop.test'], from: 'cy@example.com' }));
    const body = new Response(form);
    const res = await http
      .post('/webhooks/email/sendgrid?store=demo')
      .set('x-webhook-token', TOKEN)
      .set('content-type', body.headers.get('content-type')!)
      .send(Buffer.from(await body.arrayBuffer()));
    expect(res.status).toBe(202);
    const row = (await rows(demo.id)).find((r) => r.idempotency_key === 'email:<sg-1@example.com>');
    expect(row.payload).toMatchObject({ customerEmail: 'cy@example.com', body: 'I want to return my shoes from #W2378156' });
  });

  it("a store with its own token does not accept the install-wide one", async () => {
    const env = await http.post(`/webhooks/email/postmark?store=acme&token=${TOKEN}`).send(postmark('<pm-acme@example.com>'));
    expect(env.status).toBe(401);
    const own = await http.post(`/webhooks/email/postmark?store=acme&token=${ACME_TOKEN}`).send(postmark('<pm-acme@example.com>'));
    expect(own.status).toBe(202);
    expect(await rows(acme.id)).toHaveLength(1);
  });

  it('a verified but unusable body is 400 and kept as a dead letter', async () => {
    const res = await http.post(`/webhooks/email/postmark?store=demo&token=${TOKEN}`).type('application/json').send('{"Subject": "no sender"}');
    expect(res.status).toBe(400);
    const dead = (await rows(demo.id)).filter((r) => r.status === 'dead');
    expect(dead).toHaveLength(1);
    expect(dead[0].error).toContain('no sender');
  });
});

describe("the store's reply delay", () => {
  it('holds the job back that long, so mail sent in a row is answered together', async () => {
    const delayed = await updateStoreSettings(db.knex, acme.id, parseSettings({ ...acme.settings, reply_delay_s: 45 }));
    try {
      const res = await http.post(`/webhooks/email/postmark?store=acme&token=${ACME_TOKEN}`).send(postmark('<pm-delay@example.com>'));
      expect(res.status).toBe(202);
      const row = (await rows(acme.id)).find((r) => r.idempotency_key === 'email:<pm-delay@example.com>');
      const job = await ctx.queues.queue('inbound.process').getJob(`ie-${row.id}`);
      expect(await job!.getState()).toBe('delayed');
      expect(job!.opts.delay).toBe(45_000);
    } finally {
      await updateStoreSettings(db.knex, acme.id, parseSettings({ ...delayed.settings, reply_delay_s: 0 }));
    }
  });
});

describe('EmailConnector.verifyWebhook / parseWebhook', () => {
  it('verifies by the URL\'s provider and maps a decoded email to an event, or ignores it', async () => {
    const connector = await createEmailConnector(ctx, demo);
    const raw = Buffer.from(JSON.stringify(postmark('<pm-c@example.com>')));
    const req = { rawBody: raw, headers: {}, query: { token: TOKEN }, url: `/webhooks/email/postmark?store=demo&token=${TOKEN}`, now: new Date() };
    expect(connector.verifyWebhook(req)).toEqual({ ok: true });
    expect(connector.verifyWebhook({ ...req, query: {} })).toEqual({ ok: false, reason: 'missing_signature' });
    const email = await decodeEmailWebhook('postmark', raw, 'application/json');
    expect(connector.parseWebhook(email, req)).toMatchObject({
      kind: 'message',
      idempotencyKey: 'email:<pm-c@example.com>',
      event: { channel: 'email', externalTicketId: '<pm-c@example.com>', customerEmail: 'bo@example.com' },
    });
    const oof = { ...email, headers: { ...email.headers, 'auto-submitted': 'auto-replied' } };
    expect(connector.parseWebhook(oof, req)).toEqual({ kind: 'ignored', reason: 'auto_submitted' });
  });
});

describe('routing errors', () => {
  it.each([
    ['/webhooks/email/mailgun?store=nope', 404],
    ['/webhooks/email/mandrill?store=demo', 404],
    ['/webhooks/email/mailgun', 400],
  ])('%s → %i', async (url, status) => {
    const res = await http.post(url).type(FORM).send(mailgunForm(customerFields('<x@example.com>')));
    expect(res.status).toBe(status);
  });
});
