import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  mailgunSignature,
  providerFromUrl,
  verifyEmailWebhook,
  verifyMailgun,
  verifyToken,
} from '../../../connectors/email/email.webhooks.js';
import type { WebhookRequest } from '../../../connectors/types.js';

const KEY = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';
const NOW = new Date(1_700_000_000_000);
const TS = String(NOW.getTime() / 1000);
const TOKEN = 'c8f4a1e0b2d94c1a8e7f6d5c4b3a29180716f5e4d3c2b1a090';

describe('Mailgun signature', () => {
  it('is hex HMAC-SHA256 of timestamp+token under the signing key', () => {
    const expected = createHmac('sha256', KEY).update(`${TS}${TOKEN}`).digest('hex');
    expect(mailgunSignature(KEY, TS, TOKEN)).toBe(expected);
  });

  it('accepts a fresh, correctly signed delivery', () => {
    const signature = mailgunSignature(KEY, TS, TOKEN);
    expect(verifyMailgun({ timestamp: TS, token: TOKEN, signature }, KEY, NOW)).toEqual({ ok: true });
  });

  it.each([
    ['no signature', { timestamp: TS, token: TOKEN }, KEY, 'missing_signature'],
    ['no signing key configured (fails closed)', { timestamp: TS, token: TOKEN, signature: 'ab' }, null, 'missing_signature'],
    ['a signature made with another key', { timestamp: TS, token: TOKEN, signature: mailgunSignature('other', TS, TOKEN) }, KEY, 'bad_signature'],
    ['a token swapped after signing', { timestamp: TS, token: 'x' + TOKEN.slice(1), signature: mailgunSignature(KEY, TS, TOKEN) }, KEY, 'bad_signature'],
    ['a 6-minute-old delivery', { timestamp: String(Number(TS) - 360), token: TOKEN, signature: mailgunSignature(KEY, String(Number(TS) - 360), TOKEN) }, KEY, 'stale_timestamp'],
    ['a timestamp 6 minutes ahead', { timestamp: String(Number(TS) + 360), token: TOKEN, signature: mailgunSignature(KEY, String(Number(TS) + 360), TOKEN) }, KEY, 'stale_timestamp'],
    ['a non-numeric timestamp', { timestamp: 'yesterday', token: TOKEN, signature: 'ab' }, KEY, 'malformed'],
  ] as const)('rejects %s', (_name, fields, key, reason) => {
    expect(verifyMailgun(fields, key, NOW)).toEqual({ ok: false, reason });
  });

  it('verifies the form body of a request', () => {
    const body = new URLSearchParams({ timestamp: TS, token: TOKEN, signature: mailgunSignature(KEY, TS, TOKEN), from: 'a@b.c' });
    const req: WebhookRequest = {
      rawBody: Buffer.from(body.toString()),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      query: { store: 'demo' },
      url: '/webhooks/email/mailgun?store=demo',
      now: NOW,
    };
    expect(verifyEmailWebhook('mailgun', req, { mailgunSigningKey: KEY, inboundToken: null })).toEqual({ ok: true });
    expect(verifyEmailWebhook('mailgun', { ...req, headers: {} }, { mailgunSigningKey: KEY, inboundToken: null })).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
  });
});

describe('shared token (Postmark, SendGrid)', () => {
  const SECRET = 'inbound-token-0123456789';
  const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

  it.each([
    ['?token=', { headers: {}, query: { token: SECRET } }],
    ['basic auth password', { headers: { authorization: basic('postmark', SECRET) }, query: {} }],
    ['basic auth user alone', { headers: { authorization: basic(SECRET, '') }, query: {} }],
    ['X-Webhook-Token', { headers: { 'x-webhook-token': SECRET }, query: {} }],
  ])('accepts the token in %s', (_name, req) => {
    expect(verifyToken(req, SECRET)).toEqual({ ok: true });
  });

  it.each([
    ['no token', { headers: {}, query: {} }, SECRET, 'missing_signature'],
    ['a wrong token', { headers: {}, query: { token: 'inbound-token-0123456788' } }, SECRET, 'bad_signature'],
    ['a prefix of the token', { headers: {}, query: { token: SECRET.slice(0, 10) } }, SECRET, 'bad_signature'],
    ['no token configured (fails closed)', { headers: {}, query: { token: SECRET } }, null, 'missing_signature'],
  ] as const)('rejects %s', (_name, req, expected, reason) => {
    expect(verifyToken(req, expected)).toEqual({ ok: false, reason });
  });
});

describe('providerFromUrl', () => {
  it.each([
    ['/webhooks/email/mailgun?store=demo', 'mailgun'],
    ['/webhooks/email/postmark', 'postmark'],
    ['/webhooks/email/sendgrid?store=x&token=y', 'sendgrid'],
    ['/webhooks/email/mandrill', null],
    ['/webhooks/zendesk', null],
  ])('%s → %s', (url, expected) => {
    expect(providerFromUrl(url)).toBe(expected);
  });
});
