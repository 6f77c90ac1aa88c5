/**
 * One rule for turning Shopify's statuses into our OrderState, shared by the GraphQL mapper and the
 * webhook (REST-shaped payload) mapper so a cached order never changes state depending on which
 * path wrote it.
 */
import type { Fulfillment, OrderState, ReturnStatus } from '../../src/domain/order.js';

/** Fulfillments that no longer count (cancelled or failed). */
const INACTIVE = new Set(['cancelled', 'canceled', 'error', 'failure']);
const DELIVERED = new Set(['delivered', 'picked_up']);
/** Carrier statuses meaning "on its way" (GraphQL displayStatus / REST shipment_status). */
const MOVING = new Set(['in_transit', 'out_for_delivery', 'attempted_delivery', 'ready_for_pickup', 'not_delivered', 'confirmed']);
const PAID = new Set(['paid', 'partially_refunded', 'partially_paid']);

export type StateFacts = {
  cancelled: boolean;
  /** lower-case: paid, pending, authorized, partially_refunded, refunded, voided… */
  financialStatus: string | null;
  /** lower-case: unfulfilled, partially_fulfilled, fulfilled… */
  fulfillmentStatus: string | null;
  fulfillments: Fulfillment[];
  returnStatus: ReturnStatus | null | undefined;
};

export function activeFulfillments(fulfillments: Fulfillment[]): Fulfillment[] {
  return fulfillments.filter((f) => !INACTIVE.has((f.status ?? '').toLowerCase()));
}

export function deriveOrderState(f: StateFacts): OrderState {
  if (f.cancelled) return 'cancelled';
  if (f.returnStatus === 'closed') return 'returned';
  if (f.financialStatus === 'refunded') return 'refunded';
  const active = activeFulfillments(f.fulfillments);
  if (active.length > 0) {
    if (active.every((x) => DELIVERED.has((x.status ?? '').toLowerCase()) || Boolean(x.deliveredAt))) return 'delivered';
    if (active.some((x) => x.trackingNumbers.length > 0 || MOVING.has((x.status ?? '').toLowerCase()))) return 'in_transit';
    return 'fulfilled';
  }
  if (f.fulfillmentStatus === 'fulfilled' || f.fulfillmentStatus === 'partially_fulfilled') return 'fulfilled';
  if (f.financialStatus && PAID.has(f.financialStatus)) return 'paid';
  return 'pending';
}

/**
 * The return that matters: an active one (open, then requested) wins over a closed one, which wins
 * over declined/cancelled ones.
 */
export function pickReturnStatus(statuses: string[]): ReturnStatus | null {
  const lower = statuses.map((s) => s.toLowerCase());
  for (const s of ['open', 'requested', 'closed', 'declined', 'canceled'] as const) {
    if (lower.includes(s) || (s === 'canceled' && lower.includes('cancelled'))) return s;
  }
  return null;
}

/** Money strings ("19.99") to numbers with cents precision. */
export function money(value: unknown): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? Math.round(n * 100) / 100 : 0;
}

export const orderGid = (id: string | number) => (String(id).startsWith('gid://') ? String(id) : `gid://shopify/Order/${id}`);
export const gid = (type: string, id: string | number | null | undefined) =>
  id === null || id === undefined ? undefined : String(id).startsWith('gid://') ? String(id) : `gid://shopify/${type}/${id}`;
