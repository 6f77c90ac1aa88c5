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
};
