import { createHash, createHmac } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_SECRET } from '../../bench/app.js';
import { createSender, zendeskSignatureHeaders, type SignedRequest } from '../../bench/driver.js';
import { benchTicket } from '../../bench/tickets.js';
import { startHarness, type Harness } from './harness.js';

const BODY_LIMIT = 16_384;
const GORGIAS_SECRET = 'fuzz-gorgias-secret';
const SHOPIFY_SECRET = 'fuzz-shopify-secret';
const MAILGUN_KEY = 'fuzz-mailgun-key';
const INBOUND_TOKEN = 'fuzz-inbound-token';

// 1,200 hostile or broken webhook deliveries against every webhook route of a running server:
// malformed and oversized bodies, wrong or missing signatures, stale timestamps, wrong content
// types, JSON of the wrong shape. Every answer is a 4xx, the server stays up, no job is queued,
// and the only rows written are the dead letters the design keeps for correctly signed but
// unusable deliveries.
describe('webhook fuzz', () => {
  let h: Harness;
  let deadLetters = new Set<string>();
  beforeAll(async () => {
    h = await startHarness({
      extraEnv: {
        BODY_LIMIT_BYTES: String(BODY_LIMIT),
        GORGIAS_ACCOUNT: 'fuzz',
        GORGIAS_EMAIL: 'bot@fuzz.example',
        GORGIAS_API_KEY: 'fuzz-key',
        GORGIAS_WEBHOOK_SECRET: GORGIAS_SECRET,
        SHOPIFY_API_KEY: 'fuzz-shopify-key',
        SHOPIFY_API_SECRET: SHOPIFY_SECRET,
        MAILGUN_SIGNING_KEY: MAILGUN_KEY,
        INBOUND_EMAIL_TOKEN: INBOUND_TOKEN,
        EMAIL_FROM: 'support@fuzz.example',
      },
    });
  });
  afterAll(async () => h?.close());

  it('answers only 4xx, keeps serving and queues nothing', async () => {
    const rnd = prng(20261122);
    const cases = Array.from({ length: 1200 }, () => fuzzCase(rnd));
    const sender = createSender(h.app.webUrl, 32);
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < cases.length) {
          const c = cases[next++]!;
          const ack = await sender.post(c.request).catch((err: Error) => ({ status: -1, body: err.message }));
          if (ack.status < 400 || ack.status >= 500) throw new Error(`${c.kind} ${c.request.path} → ${ack.status} ${ack.body.slice(0, 200)}`);
          statuses.push(ack.status);
        }
      }),
    );
    sender.close();
    const raw = await Promise.all(Array.from({ length: 20 }, (_, i) => rawGarbage(h.app.webUrl, i)));

    expect(statuses).toHaveLength(cases.length);
    expect(new Set(statuses)).toEqual(new Set([400, 401, 404, 413]));
    expect(raw.every((line) => /^HTTP\/1\.1 4\d\d/.test(line))).toBe(true);
    expect(h.app.web.child.exitCode).toBeNull();
    expect((await fetch(`${h.app.webUrl}/health`)).status).toBe(200);
    const jobs = await h.app.jobCounts();
    expect(Object.values(jobs).every((n) => n === 0)).toBe(true);

    deadLetters = new Set(cases.filter((c) => c.signedBad).map((c) => `dead:${c.signedBad!}`));
  }, 60_000);

  it('accepts and answers a signed customer message that contains NUL characters', async () => {
    const t = { ...benchTicket(0, 6_000_000), text: 'Where is my order?\u0000 It has not arrived.' };
    expect((await h.post(t)).status).toBe(202);
    await h.waitForReplies([t], 30_000);
  }, 40_000);

  it('recorded nothing but the dead letters and that one message', async () => {
    await h.app.stop(); // PGlite: the database is the app process's until it exits
    const rows = await h.withDb((db) => db('inbound_events').select('status', 'idempotency_key'));
    const dead = rows.filter((r) => r.status === 'dead');
    expect(new Set(dead.map((r) => r.idempotency_key))).toEqual(deadLetters);
    expect(rows.filter((r) => r.status !== 'dead').map((r) => r.status)).toEqual(['processed']);
  }, 40_000);
});

type FuzzCase = { kind: string; request: SignedRequest; signedBad?: string };

/** Bodies that are not a usable webhook: broken JSON, wrong JSON types, garbage bytes. */
const BAD_BODIES: ((r: () => number) => string | Buffer)[] = [
  () => '{"ticket_id": "123", ',
  () => '{',
  () => '',
  () => 'null',
  () => '[]',
  () => '[{"ticket_id": "1"}]',
  () => '42',
  () => '"just a string"',
  () => 'true',
  () => '{"ticket_id": {"$gt": ""}}',
  () => '{"ticket_id": [1, 2]}',
  () => '{"ticket_id": true}',
  () => '{"ticket_id": null, "latest_comment": "hi"}',
  () => '{"type": "zen:event-type:ticket.comment_added"}',
  () => '{"type": "zen:event-type:ticket.comment_added", "detail": []}',
  () => '{"type": 7, "detail": {"id": {}}}',
  () => '{"__proto__": {"polluted": true}, "constructor": {"prototype": {}}}',
  (r) => JSON.stringify(nested(Math.floor(r() * 200) + 50)),
  (r) => Buffer.from(Array.from({ length: Math.floor(r() * 512) }, () => Math.floor(r() * 256))),
  (r) => '\u0000\uffff'.repeat(Math.floor(r() * 100)),
  () => '{"ticket_id": "1", "comment_id": "2"'.padEnd(300, ' '),
];

function fuzzCase(r: () => number): FuzzCase {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const oversized = r() < 0.08;
  const body = oversized ? `{"ticket_id":"1","latest_comment":"${'x'.repeat(BODY_LIMIT + 10)}"}` : pick(BAD_BODIES)(r);
  const contentType = pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '']);
  const route = pick(['zendesk', 'zendesk', 'gorgias', 'shopify', 'mailgun', 'postmark', 'sendgrid', 'unknown-store', 'unknown-provider']);
  const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
  const fresh = new Date();
  const stale = new Date(Date.now() - 3600_000);
  switch (route) {
    case 'zendesk': {
      const how = pick(['none', 'wrong', 'other-secret', 'stale', 'bad-timestamp', 'signed']);
      const path = '/webhooks/zendesk?store=demo';
      if (how === 'none') return { kind: 'zendesk unsigned', request: { path, body, headers } };
      if (how === 'wrong') return { kind: 'zendesk wrong signature', request: { path, body, headers: { ...headers, 'x-zendesk-webhook-signature': 'AAAA', 'x-zendesk-webhook-signature-timestamp': fresh.toISOString() } } };
      if (how === 'other-secret') return { kind: 'zendesk other secret', request: { path, body, headers: { ...zendeskSignatureHeaders('not-the-secret', body, fresh), ...headers } } };
      if (how === 'stale') return { kind: 'zendesk stale', request: { path, body, headers: { ...zendeskSignatureHeaders(WEBHOOK_SECRET, body, stale), ...headers } } };
      if (how === 'bad-timestamp') {
        const signed = zendeskSignatureHeaders(WEBHOOK_SECRET, body, fresh);
        return { kind: 'zendesk bad timestamp', request: { path, body, headers: { ...signed, 'x-zendesk-webhook-signature-timestamp': 'yesterday', ...headers } } };
      }
      // Correctly signed but unusable: 400 (413 when too large), kept as a dead letter when it got in.
      const signedBad = oversized ? undefined : createHash('sha256').update(body).digest('hex');
      return { kind: 'zendesk signed but unusable', request: { path, body, headers: { ...zendeskSignatureHeaders(WEBHOOK_SECRET, body, fresh), ...headers } }, signedBad };
    }
    case 'gorgias': {
      const token = pick([undefined, 'wrong-token', '', GORGIAS_SECRET.toUpperCase()]);
      return { kind: 'gorgias bad token', request: { path: '/webhooks/gorgias?store=demo', body, headers: { ...headers, ...(token !== undefined ? { 'x-gorgias-token': token } : {}) } } };
    }
    case 'shopify': {
      const hmac = pick([undefined, 'bm90IGEgaG1hYw==', createHmac('sha256', 'other').update(body).digest('base64')]);
      return {
        kind: 'shopify bad hmac',
        request: {
          path: '/webhooks/shopify',
          body,
          headers: { ...headers, 'x-shopify-topic': 'orders/updated', 'x-shopify-shop-domain': 'fuzz.myshopify.com', 'x-shopify-webhook-id': 'w1', ...(hmac ? { 'x-shopify-hmac-sha256': hmac } : {}) },
        },
      };
    }
    case 'mailgun': {
      const ts = String(Math.floor((r() < 0.5 ? stale : fresh).getTime() / 1000));
      const form = new URLSearchParams({ timestamp: ts, token: 't'.repeat(50), signature: createHmac('sha256', 'other').update(ts).digest('hex'), sender: 'a@b.c', recipient: 'support@fuzz.example', 'body-plain': 'hi' }).toString();
      return { kind: 'mailgun bad signature', request: { path: '/webhooks/email/mailgun?store=demo', body: r() < 0.5 ? form : body, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } } };
    }
    case 'postmark':
    case 'sendgrid':
      return { kind: `${route} bad token`, request: { path: `/webhooks/email/${route}?store=demo&token=${pick(['', 'wrong'])}`, body, headers } };
    case 'unknown-store':
      return { kind: 'unknown store', request: { path: `/webhooks/${pick(['zendesk', 'gorgias'])}?store=${pick(['nope', '00000000-0000-0000-0000-000000000000', '%00', 'demo%27--'])}`, body, headers } };
    default:
      return { kind: 'unknown provider', request: { path: `/webhooks/email/${pick(['smtp', '..%2f..', 'x'.repeat(300)])}?store=demo`, body, headers } };
  }
}

function nested(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = { ticket_id: v };
  return v;
}

/** Not HTTP at all, or broken HTTP: the server must answer 4xx and carry on. */
function rawGarbage(webUrl: string, i: number): Promise<string> {
  const { port } = new URL(webUrl);
  const payloads = [
    'GARBAGE\r\n\r\n',
    'POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n',
    'POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n',
    `POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
  ];
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(payloads[i % payloads.length]!));
    let data = '';
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('close', () => resolve(data.split('\r\n')[0] ?? ''));
    socket.on('error', () => resolve(data.split('\r\n')[0] ?? ''));
  });
}

/** mulberry32: the same cases on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
