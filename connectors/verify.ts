/**
 * Building blocks for webhook verification: HMACs over raw bytes, constant-time comparison,
 * timestamp tolerance with the clock passed in, and header/secret extraction. Pure and sync.
 */
import { createHmac } from 'node:crypto';
import type { WebhookRequest } from './types.js';

export { constantTimeEqual } from '../src/security/crypto.js';

/** HMAC-SHA256 of the given parts concatenated (e.g. timestamp + raw body), encoded. */
export function hmacSha256(
  secret: string,
  parts: (string | Buffer)[],
  encoding: 'base64' | 'hex' = 'base64',
): string {
  const mac = createHmac('sha256', secret);
  for (const p of parts) mac.update(p);
  return mac.digest(encoding);
}

/** ISO 8601 (Zendesk) or unix seconds/milliseconds; null when unreadable. */
export function parseWebhookTimestamp(value: string): Date | null {
  const v = value.trim();
  if (/^\d{9,11}$/.test(v)) return new Date(Number(v) * 1000);
  if (/^\d{12,14}$/.test(v)) return new Date(Number(v));
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v)) return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : new Date(ms);
}

export const DEFAULT_TOLERANCE_MS = 5 * 60_000;

/** Replay protection: the signed timestamp must lie within ±tolerance of now. */
export function checkTimestamp(
  value: string,
  now: Date,
  toleranceMs = DEFAULT_TOLERANCE_MS,
): 'ok' | 'stale' | 'malformed' {
  const at = parseWebhookTimestamp(value);
  if (!at) return 'malformed';
  return Math.abs(now.getTime() - at.getTime()) <= toleranceMs ? 'ok' : 'stale';
}

/** A header by (case-insensitive) name; empty values count as missing. */
export function headerValue(
  req: Pick<WebhookRequest, 'headers'>,
  name: string,
): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** The token of `Authorization: Bearer <token>`, if any. */
export function bearerToken(req: Pick<WebhookRequest, 'headers'>): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(headerValue(req, 'authorization') ?? '');
  return m?.[1];
}
