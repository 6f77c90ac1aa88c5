/**
 * Shopify webhook verification: `X-Shopify-Hmac-Sha256` = base64(HMAC-SHA256(app secret, raw
 * body)), compared in constant time, then the headers we need to route and deduplicate.
 * Pure and synchronous (style: verifiers do no I/O). Source: shopify.dev verify-deliveries and
 * shopify-api `lib/webhooks/validate.ts` (see vendor-apis.md §3).
 */
import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../../src/security/crypto.js';

export type ShopifyWebhookMeta = {
  /** "orders/create", "customers/redact"… as sent in X-Shopify-Topic. */
  topic: string;
  /** acme.myshopify.com */
  shopDomain: string;
  /** The delivery id: the same on every retry of one delivery, our dedup key. */
  webhookId: string;
  eventId: string | null;
  apiVersion: string | null;
  triggeredAt: string | null;
};

export type ShopifyWebhookVerification =
  | { ok: true; meta: ShopifyWebhookMeta }
  | { ok: false; reason: 'missing_signature' | 'bad_signature' }
  | { ok: false; reason: 'missing_headers'; missing: string[] };

export const COMPLIANCE_TOPICS = ['customers/data_request', 'customers/redact', 'shop/redact'] as const;

export function signShopifyBody(secret: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/**
 * @param headers lower-cased header names
 * @param secrets the current app secret, then optionally the previous one (rotation window)
 */
export function verifyShopifyWebhook(
  rawBody: Buffer,
  headers: Record<string, string | undefined>,
  secrets: string[],
): ShopifyWebhookVerification {
  const hmac = headers['x-shopify-hmac-sha256'];
  if (!hmac) return { ok: false, reason: 'missing_signature' };
  // Every candidate is compared, so the timing does not tell which secret matched.
  const matches = secrets.filter(Boolean).map((s) => constantTimeEqual(signShopifyBody(s, rawBody), hmac.trim()));
  if (!matches.includes(true)) return { ok: false, reason: 'bad_signature' };
  const required = { 'x-shopify-topic': headers['x-shopify-topic'], 'x-shopify-shop-domain': headers['x-shopify-shop-domain'], 'x-shopify-webhook-id': headers['x-shopify-webhook-id'] };
  const missing = Object.entries(required).filter(([, v]) => !v?.trim()).map(([k]) => k);
  if (missing.length) return { ok: false, reason: 'missing_headers', missing };
  return {
    ok: true,
    meta: {
      topic: String(required['x-shopify-topic']).trim().toLowerCase(),
      shopDomain: String(required['x-shopify-shop-domain']).trim().toLowerCase(),
      webhookId: String(required['x-shopify-webhook-id']).trim(),
      eventId: headers['x-shopify-event-id'] ?? null,
      apiVersion: headers['x-shopify-api-version'] ?? null,
      triggeredAt: headers['x-shopify-triggered-at'] ?? null,
    },
  };
}
