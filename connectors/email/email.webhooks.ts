import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../../src/security/crypto.js';
import type { VerifyResult, WebhookRequest } from '../types.js';
import { MalformedFormError, readForm } from './email.form.js';

/**
 * Verification of the inbound parse webhooks. Mailgun signs (HMAC-SHA256 of timestamp+token with
 * the webhook signing key); Postmark and SendGrid Inbound Parse do not, so their URL carries a
 * shared secret: `?token=`, basic auth, or an X-Webhook-Token header. All comparisons are
 * constant-time; a route with no secret configured rejects everything (fail closed).
 */
export const EMAIL_PROVIDERS = ['mailgun', 'postmark', 'sendgrid'] as const;
export type EmailProvider = (typeof EMAIL_PROVIDERS)[number];

/** Mailgun deliveries older (or further in the future) than this are refused as replays. */
export const MAILGUN_MAX_SKEW_S = 300;

export function isEmailProvider(value: string): value is EmailProvider {
  return (EMAIL_PROVIDERS as readonly string[]).includes(value);
}

/** "/webhooks/email/mailgun?store=demo" → 'mailgun'. */
export function providerFromUrl(url: string): EmailProvider | null {
  const m = /\/email\/([a-z]+)(?:[/?#]|$)/.exec(url);
  return m && isEmailProvider(m[1]!) ? m[1] : null;
}

/** Mailgun's signature: hex HMAC-SHA256 over timestamp + token, keyed with the signing key. */
export function mailgunSignature(signingKey: string, timestamp: string, token: string): string {
  return createHmac('sha256', signingKey).update(timestamp + token).digest('hex');
}

export function verifyMailgun(
  fields: { timestamp?: string; token?: string; signature?: string },
  signingKey: string | null,
  now: Date,
): VerifyResult {
  const { timestamp, token, signature } = fields;
  if (!signingKey || !timestamp || !token || !signature) return { ok: false, reason: 'missing_signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed' };
  const expected = mailgunSignature(signingKey, timestamp, token);
  if (!constantTimeEqual(signature.toLowerCase(), expected)) return { ok: false, reason: 'bad_signature' };
  // Checked after the signature so an attacker learns nothing from the timestamp alone.
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > MAILGUN_MAX_SKEW_S) {
    return { ok: false, reason: 'stale_timestamp' };
  }
  return { ok: true };
}

/** The shared secret a request presents: ?token=, basic auth (password, else user), or X-Webhook-Token. */
export function presentedToken(req: Pick<WebhookRequest, 'headers' | 'query'>): string | null {
  if (req.query.token) return req.query.token;
  const header = req.headers['x-webhook-token'];
  if (header) return header;
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const [user, pass] = colon >= 0 ? [decoded.slice(0, colon), decoded.slice(colon + 1)] : [decoded, ''];
    return pass || user || null;
  }
  return null;
}

export function verifyToken(
  req: Pick<WebhookRequest, 'headers' | 'query'>,
  expected: string | null,
): VerifyResult {
  const token = presentedToken(req);
  if (!expected || !token) return { ok: false, reason: 'missing_signature' };
  return constantTimeEqual(token, expected) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

export type WebhookSecrets = { mailgunSigningKey: string | null; inboundToken: string | null };

/** Pure and synchronous: reads the form only to find Mailgun's signature fields. */
export function verifyEmailWebhook(
  provider: EmailProvider,
  req: WebhookRequest,
  secrets: WebhookSecrets,
): VerifyResult {
  if (provider !== 'mailgun') return verifyToken(req, secrets.inboundToken);
  let fields: Map<string, string>;
  try {
    fields = readForm(req.rawBody, req.headers['content-type']).fields;
  } catch (err) {
    if (err instanceof MalformedFormError) return { ok: false, reason: 'missing_signature' };
    throw err;
  }
  return verifyMailgun(
    { timestamp: fields.get('timestamp'), token: fields.get('token'), signature: fields.get('signature') },
    secrets.mailgunSigningKey,
    req.now,
  );
}
