/**
 * The `orders` table ↔ domain Order. For Shopify stores the table is a cache (refreshed by
 * lookups and webhooks, `cached_at` says how fresh); for the demo store it is the source itself.
 *
 * Where the optional Order facts live: refunds made through Shopify and the return status in
 * `raw` (`raw.refunds`, `raw.returnStatus`, `raw.cancelledAt`); the demo store's refunds are
 * τ-bench `payment_history` entries (`transaction_type: 'refund'`). Both are read back here.
 */
import type { Knex } from 'knex';
import type { Order, OrderRefund, ReturnStatus } from '../domain/order.js';
import { matchesOrderNumber, normalizeEmail, orderNumberCandidates } from './order-number.js';
import { prepared } from '../db/prepared.js';

type Row = Record<string, unknown>;
type PaymentEntry = { transaction_type?: string; amount?: number; note?: string; idempotency_key?: string; created_at?: string };

const json = <T>(v: unknown, fallback: T): T => {
  if (v === null || v === undefined) return fallback;
  if (typeof v === 'string') {
    try {
      return JSON.parse(v) as T;
    } catch {
      return fallback;
    }
  }
  return v as T;
};
const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
const round2 = (n: number) => Math.round(n * 100) / 100;

export function rowToOrder(row: Row): Order {
  const raw = json<Record<string, unknown>>(row.raw, {});
  const history = json<PaymentEntry[]>(row.payment_history, []);
  const historyRefunds: OrderRefund[] = history
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => p.transaction_type === 'refund')
    .map(({ p, i }) => ({ id: p.idempotency_key ?? `refund-${i}`, amount: Number(p.amount ?? 0), note: p.note ?? null, createdAt: p.created_at ?? null }));
  const refunds = [...historyRefunds, ...json<OrderRefund[]>(raw.refunds, [])];
  return {
    id: String(row.id),
    storeId: String(row.store_id),
    externalId: String(row.external_id),
    orderNumber: String(row.order_number),
    email: (row.email as string | null) ?? null,
    customerName: (row.customer_name as string | null) ?? null,
    customerExternalId: (row.customer_external_id as string | null) ?? null,
    state: row.status as Order['state'],
    financialStatus: (row.financial_status as string | null) ?? null,
    fulfillmentStatus: (row.fulfillment_status as string | null) ?? null,
    totalPrice: Number(row.total_price ?? 0),
    currency: String(row.currency ?? 'USD'),
    lineItems: json(row.line_items, []),
    shippingAddress: json(row.shipping_address, null),
    fulfillments: json(row.fulfillments, []),
    trackingNumbers: json(row.tracking_numbers, []),
    placedAt: iso(row.placed_at),
    updatedAt: iso(row.updated_at),
    // Shopify rows carry the platform's own total (lists do not fetch each refund).
    refundedAmount: typeof raw.refundedAmount === 'number' ? raw.refundedAmount : round2(refunds.reduce((s, r) => s + r.amount, 0)),
    refunds,
    returnStatus: (raw.returnStatus as ReturnStatus | undefined) ?? null,
    cancelledAt: (raw.cancelledAt as string | undefined) ?? null,
    cachedAt: iso(row.cached_at),
  };
}

/** Rows of this store whose order number matches what the customer typed. */
export async function findOrderRow(db: Knex, storeId: string, orderNumber: string): Promise<Row | null> {
  const candidates = orderNumberCandidates(orderNumber);
  if (!candidates.length) return null;
  const upper = [...new Set(candidates.map((c) => c.toUpperCase()))];
  // The number of candidates is small (a few spellings), so few statement texts get prepared.
  const { rows } = await prepared<Row>(
    db,
    `select * from orders where store_id = ? and upper(order_number) in (${upper.map(() => '?').join(', ')}) limit 5`,
    [storeId, ...upper],
  );
  return rows.find((r) => matchesOrderNumber(String(r.order_number), candidates)) ?? null;
}

export async function findOrderRowsByEmail(db: Knex, storeId: string, email: string, limit: number): Promise<Row[]> {
  const e = normalizeEmail(email);
  if (!e) return [];
  return db('orders')
    .where({ store_id: storeId, email: e })
    .orderByRaw('placed_at desc nulls last, order_number desc')
    .limit(Math.max(1, limit));
}

export async function findOrderRowByExternalId(db: Knex, storeId: string, externalId: string): Promise<Row | null> {
  return (await db('orders').where({ store_id: storeId, external_id: externalId }).first()) ?? null;
}

/**
 * Writes a platform order into the cache and returns it as stored. `ifNewer` (webhooks: retries
 * carry the original, possibly older payload) keeps a row that is already more recent.
 * A `returnStatus` of undefined means "unknown here" and keeps the cached one.
 */
export async function upsertOrder(
  db: Knex,
  storeId: string,
  order: Order,
  opts: { ifNewer?: boolean; now?: Date } = {},
): Promise<Order> {
  const now = opts.now ?? new Date();
  const existing = await findOrderRowByExternalId(db, storeId, order.externalId);
  if (existing && opts.ifNewer && order.updatedAt && existing.updated_at) {
    if (new Date(existing.updated_at as string).getTime() > new Date(order.updatedAt).getTime()) return rowToOrder(existing);
  }
  const oldRaw = json<Record<string, unknown>>(existing?.raw, {});
  const raw = {
    ...oldRaw,
    refunds: order.refunds ?? oldRaw.refunds ?? [],
    refundedAmount: order.refundedAmount ?? oldRaw.refundedAmount,
    returnStatus: order.returnStatus === undefined ? (oldRaw.returnStatus ?? null) : order.returnStatus,
    cancelledAt: order.cancelledAt ?? null,
  };
  const values = {
    order_number: order.orderNumber,
    email: order.email?.toLowerCase() ?? null,
    customer_external_id: order.customerExternalId,
    customer_name: order.customerName,
    status: order.returnStatus === undefined && raw.returnStatus === 'closed' && order.state === 'delivered' ? 'returned' : order.state,
    financial_status: order.financialStatus,
    fulfillment_status: order.fulfillmentStatus,
    total_price: order.totalPrice,
    currency: order.currency,
    line_items: JSON.stringify(order.lineItems),
    shipping_address: order.shippingAddress ? JSON.stringify(order.shippingAddress) : null,
    fulfillments: JSON.stringify(order.fulfillments),
    tracking_numbers: JSON.stringify(order.trackingNumbers),
    raw: JSON.stringify(raw),
    placed_at: order.placedAt,
    cached_at: now,
    updated_at: order.updatedAt ?? now,
  };
  const [row] = await db('orders')
    .insert({ store_id: storeId, external_id: order.externalId, ...values })
    .onConflict(['store_id', 'external_id'])
    .merge(values)
    .returning('*');
  return rowToOrder(row as Row);
}

/** Forces the next lookup to ask the platform (after an action changed the order). */
export async function invalidateCachedOrder(db: Knex, storeId: string, externalId: string): Promise<void> {
  await db('orders').where({ store_id: storeId, external_id: externalId }).update({ cached_at: new Date(0) });
}
