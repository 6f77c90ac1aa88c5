/**
 * Normalised order state, shared by every commerce connector (demo tables, Shopify).
 * `in_transit` = shipped, not yet delivered. `paid` = paid and not yet fulfilled.
 */
export const ORDER_STATES = [
  'pending',
  'paid',
  'fulfilled',
  'in_transit',
  'delivered',
  'cancelled',
  'refunded',
  'returned',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export type OrderLineItem = {
  id: string;
  productId?: string;
  variantId?: string;
  name: string;
  quantity: number;
  price: number;
  options?: Record<string, string>;
};

export type Fulfillment = {
  /** The platform's fulfillment id, when it has one (merging fulfillment webhooks). */
  id?: string;
  trackingNumbers: string[];
  carrier?: string;
  trackingUrl?: string;
  status?: string;
  itemIds?: string[];
  shippedAt?: string;
  deliveredAt?: string;
};

export type Address = {
  name?: string;
  address1: string;
  address2?: string;
  city: string;
  province?: string;
  zip: string;
  country: string;
};

/** A refund already made on the order. `note` carries our idempotency key for reconciliation. */
export type OrderRefund = { id: string; amount: number; note?: string | null; createdAt?: string | null };

/** The latest return on the order (platform return statuses, lower-case). */
export type ReturnStatus = 'requested' | 'open' | 'closed' | 'declined' | 'canceled';

/** An order as the pipeline sees it. Amounts are in the order's currency, as numbers. */
export type Order = {
  id: string;
  storeId: string;
  externalId: string;
  orderNumber: string;
  email: string | null;
  customerName: string | null;
  customerExternalId: string | null;
  state: OrderState;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  totalPrice: number;
  currency: string;
  lineItems: OrderLineItem[];
  shippingAddress: Address | null;
  fulfillments: Fulfillment[];
  trackingNumbers: string[];
  placedAt: string | null;
  updatedAt: string | null;
  /** Sum of refunds already made (0 when none). */
  refundedAmount?: number;
  refunds?: OrderRefund[];
  /** Set when a return was requested/opened; the state stays `delivered` until it is closed. */
  returnStatus?: ReturnStatus | null;
  cancelledAt?: string | null;
  /** Served from the local cache because the platform did not answer (seed: graceful degradation). */
  stale?: boolean;
  /** When this copy was cached (cache reads only). */
  cachedAt?: string | null;
};
