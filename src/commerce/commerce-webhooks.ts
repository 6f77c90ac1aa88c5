/**
 * What each Shopify webhook topic does (run by the `commerce.webhook` job, never in the request):
 * - orders/* → upsert the cached order (older redeliveries never overwrite newer data);
 *   orders/delete → drop it from the cache;
 * - fulfillments/create|update → tracking numbers, carrier and status merged into the cached order;
 * - app/uninstalled → token deleted, store `uninstalled` (automation stops);
 * - customers/data_request → export saved in data_exports;
 * - customers/redact → the customer's rows deleted; shop/redact → the store deleted.
 * Payload shapes: shopify.dev webhook references ([S] for the compliance payload fields).
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { mapWebhookFulfillment, mapWebhookOrder } from '../../connectors/shopify/shopify.webhook-mappers.js';
import { deriveOrderState, orderGid } from '../../connectors/shopify/shopify.state.js';
import type { Fulfillment } from '../domain/order.js';
import { PermanentError } from '../errors.js';
import { exportCustomerData, redactCustomer, redactShop } from './compliance.js';
import { findOrderRowByExternalId, rowToOrder, upsertOrder } from './order-repository.js';
import { markShopifyUninstalled } from './shopify-install.js';

export type CommerceWebhookPayload = { topic: string; shop: string; webhookId?: string; body: unknown };
export type WebhookOutcome = { done: string; skipped?: string; detail?: Record<string, unknown> };

const customer = z.object({ id: z.union([z.number(), z.string()]).nullish(), email: z.string().nullish(), phone: z.string().nullish() }).passthrough();
const ids = z.array(z.union([z.number(), z.string()])).default([]);
const dataRequestSchema = z.object({ customer, orders_requested: ids, data_request: z.object({ id: z.union([z.number(), z.string()]) }).passthrough() }).passthrough();
const customerRedactSchema = z.object({ customer, orders_to_redact: ids }).passthrough();

function parse<T>(schema: z.ZodType<T>, body: unknown, topic: string): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new PermanentError(`malformed ${topic} payload: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

export async function applyCommerceWebhook(
  db: Knex,
  storeId: string,
  inboundEventId: string,
  p: CommerceWebhookPayload,
  log: (obj: Record<string, unknown>, msg: string) => void = () => {},
): Promise<WebhookOutcome> {
  const topic = p.topic.toLowerCase();
  if (topic === 'orders/delete') {
    const id = (p.body as { id?: unknown })?.id;
    if (id === undefined) throw new PermanentError('orders/delete without id');
    const n = await db('orders').where({ store_id: storeId, external_id: orderGid(String(id)) }).delete();
    return { done: 'order removed from cache', detail: { removed: n } };
  }
  if (topic.startsWith('orders/') && topic !== 'orders/edited') {
    let order;
    try {
      order = mapWebhookOrder(p.body, storeId);
    } catch (err) {
      throw new PermanentError(`malformed ${topic} payload: ${(err as Error).message.slice(0, 200)}`);
    }
    const stored = await upsertOrder(db, storeId, order, { ifNewer: true });
    return { done: 'order cached', detail: { orderId: stored.id } };
  }
  if (topic === 'fulfillments/create' || topic === 'fulfillments/update') {
    let mapped;
    try {
      mapped = mapWebhookFulfillment(p.body);
    } catch (err) {
      throw new PermanentError(`malformed ${topic} payload: ${(err as Error).message.slice(0, 200)}`);
    }
    if (!mapped.orderExternalId) throw new PermanentError(`${topic} without order_id`);
    const merged = await mergeFulfillment(db, storeId, mapped.orderExternalId, mapped.fulfillment);
    return merged ? { done: 'tracking updated', detail: { orderId: merged } } : { done: 'nothing to update', skipped: 'order not in cache' };
  }
  switch (topic) {
    case 'app/uninstalled':
      await markShopifyUninstalled(db, storeId, p.shop);
      return { done: 'store uninstalled, credentials deleted' };
    case 'customers/data_request': {
      const b = parse(dataRequestSchema, p.body, topic);
      const out = await exportCustomerData(db, storeId, { requestId: String(b.data_request.id), customer: b.customer, ordersRequested: b.orders_requested });
      log({ storeId, exportId: out.exportId, counts: out.counts }, 'customer data export ready');
      return { done: 'export created', detail: { exportId: out.exportId, ...out.counts } };
    }
    case 'customers/redact': {
      const b = parse(customerRedactSchema, p.body, topic);
      const counts = await redactCustomer(db, storeId, { customer: b.customer, ordersToRedact: b.orders_to_redact, keepInboundEventId: inboundEventId });
      // The request itself named the customer: keep only that it happened.
      await db('inbound_events')
        .where({ id: inboundEventId })
        .update({ payload: JSON.stringify({ topic, shop: p.shop, webhookId: p.webhookId ?? null, redacted: true }) });
      log({ storeId, counts }, 'customer redacted');
      return { done: 'customer redacted', detail: counts };
    }
    case 'shop/redact':
      await redactShop(db, p.shop, storeId);
      log({ storeId }, 'shop redacted');
      return { done: 'shop redacted' };
    default:
      return { done: 'nothing to do', skipped: `topic ${topic} not handled` };
  }
}

/** Replaces (by id) or adds the fulfillment, then recomputes tracking numbers and state. */
async function mergeFulfillment(db: Knex, storeId: string, orderExternalId: string, f: Fulfillment): Promise<string | null> {
  const row = await findOrderRowByExternalId(db, storeId, orderExternalId);
  if (!row) return null;
  const order = rowToOrder(row);
  const others = order.fulfillments.filter((x) => !f.id || x.id !== f.id);
  const fulfillments = [...others, f];
  const state =
    order.state === 'cancelled' || order.state === 'refunded' || order.state === 'returned'
      ? order.state
      : deriveOrderState({
          cancelled: false,
          financialStatus: order.financialStatus,
          fulfillmentStatus: order.fulfillmentStatus,
          fulfillments,
          returnStatus: order.returnStatus,
        });
  await db('orders')
    .where({ id: row.id })
    .update({
      fulfillments: JSON.stringify(fulfillments),
      tracking_numbers: JSON.stringify([...new Set(fulfillments.flatMap((x) => x.trackingNumbers))]),
      status: state,
      cached_at: new Date(),
    });
  return String(row.id);
}
