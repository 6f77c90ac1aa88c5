/**
 * POST /webhooks/shopify — mounted under '/webhooks' with the raw body (another router handles
 * the helpdesks' paths on the same mount; this one only answers `/shopify`).
 *
 * 1. 404 when the Shopify app is not configured (SHOPIFY_API_SECRET unset).
 * 2. HMAC over the raw body (constant time): missing or bad → 401, for every topic (Shopify's
 *    compliance checks require 401 on the compliance topics).
 * 3. Required headers (Topic, Shop-Domain, Webhook-Id) → else 400.
 * 4. Unknown shop → 200 and nothing stored (nothing of theirs to update, export or delete).
 * 5. Malformed JSON (signed) → dead letter + 400.
 * 6. Record + enqueue `commerce.webhook` under the webhook id (duplicates answer 200 and enqueue
 *    nothing); a failed enqueue answers 503 so Shopify retries.
 */
import { Router } from 'express';
import type { AppContext } from '../../app/context.js';
import { verifyShopifyWebhook } from '../../../connectors/shopify/shopify.webhooks.js';
import { HttpError } from '../../errors.js';
import { ingestEvent, recordDeadLetter } from '../../ingest/ingest.js';

export type ShopifyWebhookPayload = {
  topic: string;
  shop: string;
  webhookId: string;
  eventId: string | null;
  triggeredAt: string | null;
  apiVersion: string | null;
  body: unknown;
};

export function shopifyWebhooksRouter(ctx: AppContext): Router {
  const router = Router();
  const log = ctx.logger.child({ component: 'shopify-webhooks' });

  router.post('/shopify', async (req, res) => {
    const secrets = [ctx.config.SHOPIFY_API_SECRET, ctx.config.SHOPIFY_API_SECRET_PREVIOUS].filter((s): s is string => Boolean(s));
    if (!secrets.length) throw new HttpError(404, 'the Shopify app is not configured on this server (SHOPIFY_API_SECRET)');
    const raw = req.rawBody ?? Buffer.alloc(0);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v]));
    const v = verifyShopifyWebhook(raw, headers, secrets);
    if (!v.ok) {
      if (v.reason === 'missing_headers') throw new HttpError(400, `missing headers: ${v.missing.join(', ')}`);
      throw new HttpError(401, v.reason === 'missing_signature' ? 'missing X-Shopify-Hmac-Sha256' : 'invalid webhook signature');
    }
    const { meta } = v;
    const store = await ctx.db('stores').where({ domain: meta.shopDomain }).first('id');
    if (!store) {
      log.info({ topic: meta.topic, webhookId: meta.webhookId }, 'webhook for an unknown shop ignored');
      res.status(200).json({ status: 'ignored', reason: 'unknown shop' });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      await recordDeadLetter(ctx, {
        storeId: store.id,
        source: 'shopify',
        idempotencyKey: meta.webhookId,
        eventType: meta.topic,
        error: 'malformed JSON body',
        raw: raw.toString('utf8'),
      });
      throw new HttpError(400, 'malformed JSON body');
    }
    const payload: ShopifyWebhookPayload = {
      topic: meta.topic,
      shop: meta.shopDomain,
      webhookId: meta.webhookId,
      eventId: meta.eventId,
      triggeredAt: meta.triggeredAt,
      apiVersion: meta.apiVersion,
      body,
    };
    const result = await ingestEvent(ctx, {
      storeId: store.id,
      source: 'shopify',
      job: 'commerce.webhook',
      idempotencyKey: meta.webhookId,
      eventType: meta.topic,
      payload,
    });
    log.info({ storeId: store.id, topic: meta.topic, webhookId: meta.webhookId, status: result.status }, 'shopify webhook');
    res.status(200).json({ status: result.status });
  });

  return router;
}
