/**
 * Webhook payloads → domain. Shopify sends REST-shaped JSON for `orders/*` and `fulfillments/*`
 * (snake_case, numeric ids plus `admin_graphql_api_id`, money as strings); our cache keys orders
 * by their GraphQL id, so both paths (webhook, GraphQL lookup) write the same row.
 * Shapes: shopify.dev webhook topic reference samples (orders/create, fulfillments/create).
 */
import { z } from 'zod';
import type { Fulfillment, Order, OrderRefund } from '../../src/domain/order.js';
import { deriveOrderState, gid, money, orderGid } from './shopify.state.js';

const id = z.union([z.number(), z.string()]);
const str = z.string().nullish();

const addressSchema = z
  .object({
    name: str,
    first_name: str,
    last_name: str,
    address1: str,
    address2: str,
    city: str,
    province: str,
    province_code: str,
    zip: str,
    country: str,
    country_code: str,
  })
  .nullish();

const fulfillmentSchema = z.object({
  id,
  admin_graphql_api_id: str,
  order_id: id.nullish(),
  status: str,
  shipment_status: str,
  created_at: str,
  updated_at: str,
  tracking_company: str,
  tracking_number: str,
  tracking_numbers: z.array(z.string()).nullish(),
  tracking_url: str,
  tracking_urls: z.array(z.string()).nullish(),
  line_items: z.array(z.object({ id, admin_graphql_api_id: str }).passthrough()).nullish(),
});

const orderSchema = z.object({
  id,
  admin_graphql_api_id: str,
  name: z.string(),
  email: str,
  contact_email: str,
  created_at: str,
  updated_at: str,
  cancelled_at: str,
  financial_status: str,
  fulfillment_status: str,
  total_price: z.union([z.string(), z.number()]).nullish(),
  currency: str,
  customer: z
    .object({ id: id.nullish(), admin_graphql_api_id: str, email: str, first_name: str, last_name: str })
    .passthrough()
    .nullish(),
  line_items: z
    .array(
      z
        .object({
          id,
          admin_graphql_api_id: str,
          name: str,
          title: str,
          quantity: z.number().default(1),
          price: z.union([z.string(), z.number()]).nullish(),
          product_id: id.nullish(),
          variant_id: id.nullish(),
        })
        .passthrough(),
    )
    .default([]),
  shipping_address: addressSchema,
  fulfillments: z.array(fulfillmentSchema).default([]),
  refunds: z
    .array(
      z
        .object({
          id,
          admin_graphql_api_id: str,
          note: str,
          created_at: str,
          transactions: z
            .array(z.object({ amount: z.union([z.string(), z.number()]).nullish(), kind: str, status: str }).passthrough())
            .default([]),
        })
        .passthrough(),
    )
    .default([]),
});

export type WebhookOrderPayload = z.input<typeof orderSchema>;

/** REST fulfillment → domain: cancelled/failed keep that status; otherwise the carrier's status. */
export function mapWebhookFulfillment(raw: unknown): { orderExternalId: string | null; fulfillment: Fulfillment } {
  const f = fulfillmentSchema.passthrough().parse(raw);
  const status = (f.status ?? '').toLowerCase();
  const numbers = f.tracking_numbers?.length ? f.tracking_numbers : f.tracking_number ? [f.tracking_number] : [];
  const shipment = f.shipment_status?.toLowerCase();
  return {
    orderExternalId: f.order_id !== null && f.order_id !== undefined ? orderGid(f.order_id) : null,
    fulfillment: {
      id: f.admin_graphql_api_id ?? gid('Fulfillment', f.id),
      trackingNumbers: numbers,
      carrier: f.tracking_company ?? undefined,
      trackingUrl: f.tracking_urls?.[0] ?? f.tracking_url ?? undefined,
      status: ['cancelled', 'error', 'failure'].includes(status) ? status : (shipment ?? (status === 'success' ? 'fulfilled' : status || undefined)),
      itemIds: f.line_items?.map((li) => li.admin_graphql_api_id ?? gid('LineItem', li.id) ?? '').filter(Boolean),
      shippedAt: f.created_at ?? undefined,
      deliveredAt: shipment === 'delivered' ? (f.updated_at ?? undefined) : undefined,
    },
  };
}

const FULFILLMENT_STATUS: Record<string, string> = { partial: 'partially_fulfilled', fulfilled: 'fulfilled', restocked: 'restocked' };

/** REST order (orders/create, orders/updated…) → domain Order (returns are not in this payload). */
export function mapWebhookOrder(raw: unknown, storeId: string): Order {
  const o = orderSchema.parse(raw);
  const fulfillments = o.fulfillments.map((f) => mapWebhookFulfillment(f).fulfillment);
  const refunds: OrderRefund[] = o.refunds.map((r) => ({
    id: r.admin_graphql_api_id ?? gid('Refund', r.id) ?? String(r.id),
    amount: money(
      r.transactions
        .filter((t) => (t.kind ?? '').toLowerCase() === 'refund' && (t.status ?? 'success').toLowerCase() === 'success')
        .reduce((s, t) => s + Number(t.amount ?? 0), 0),
    ),
    note: r.note ?? null,
    createdAt: r.created_at ?? null,
  }));
  const financialStatus = o.financial_status?.toLowerCase() ?? null;
  const fulfillmentStatus = o.fulfillment_status ? (FULFILLMENT_STATUS[o.fulfillment_status] ?? o.fulfillment_status) : 'unfulfilled';
  const email = (o.email || o.contact_email || o.customer?.email || null)?.toLowerCase() ?? null;
  const a = o.shipping_address;
  const customerName = [o.customer?.first_name, o.customer?.last_name].filter(Boolean).join(' ') || a?.name || null;
  return {
    id: o.admin_graphql_api_id ?? orderGid(o.id),
    storeId,
    externalId: o.admin_graphql_api_id ?? orderGid(o.id),
    orderNumber: o.name,
    email,
    customerName,
    customerExternalId: o.customer?.admin_graphql_api_id ?? gid('Customer', o.customer?.id) ?? null,
    state: deriveOrderState({ cancelled: Boolean(o.cancelled_at), financialStatus, fulfillmentStatus, fulfillments, returnStatus: null }),
    financialStatus,
    fulfillmentStatus,
    totalPrice: money(o.total_price),
    currency: o.currency ?? 'USD',
    lineItems: o.line_items.map((li) => ({
      id: li.admin_graphql_api_id ?? gid('LineItem', li.id) ?? String(li.id),
      productId: gid('Product', li.product_id),
      variantId: gid('ProductVariant', li.variant_id),
      name: li.name ?? li.title ?? 'item',
      quantity: li.quantity,
      price: money(li.price),
    })),
    shippingAddress:
      a && a.address1
        ? {
            name: a.name ?? ([a.first_name, a.last_name].filter(Boolean).join(' ') || undefined),
            address1: a.address1,
            address2: a.address2 ?? undefined,
            city: a.city ?? '',
            province: a.province_code ?? a.province ?? undefined,
            zip: a.zip ?? '',
            country: a.country_code ?? a.country ?? '',
          }
        : null,
    fulfillments,
    trackingNumbers: [...new Set(fulfillments.flatMap((f) => f.trackingNumbers))],
    placedAt: o.created_at ?? null,
    updatedAt: o.updated_at ?? null,
    refundedAmount: money(refunds.reduce((s, r) => s + r.amount, 0)),
    refunds,
    // undefined = "this payload does not say": the cache keeps the return it already knows.
    returnStatus: undefined,
    cancelledAt: o.cancelled_at ?? null,
  };
}
