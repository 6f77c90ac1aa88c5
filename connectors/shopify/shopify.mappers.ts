/**
 * GraphQL Admin API order → domain Order. State comes from displayFinancialStatus,
 * displayFulfillmentStatus, cancelledAt, the fulfillments' statuses and the returns (shopify.state.ts);
 * tracking from fulfillments.trackingInfo { company number url }.
 */
import type { CustomerProfile } from '../types.js';
import type { Address, Fulfillment, Order, OrderRefund } from '../../src/domain/order.js';
import { countryCode } from '../../src/commerce/address.js';
import { deriveOrderState, money, pickReturnStatus } from './shopify.state.js';

type Money = { shopMoney?: { amount?: string | null; currencyCode?: string | null } | null } | null;

export type GqlMailingAddress = {
  name?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province?: string | null;
  provinceCode?: string | null;
  zip?: string | null;
  country?: string | null;
  countryCodeV2?: string | null;
};

export type GqlFulfillment = {
  id: string;
  status?: string | null;
  displayStatus?: string | null;
  createdAt?: string | null;
  inTransitAt?: string | null;
  deliveredAt?: string | null;
  trackingInfo?: { company?: string | null; number?: string | null; url?: string | null }[] | null;
  fulfillmentLineItems?: { nodes: { id: string; quantity: number; lineItem?: { id: string } | null }[] } | null;
};

export type GqlOrder = {
  id: string;
  name: string;
  email?: string | null;
  createdAt?: string | null;
  updatedAt?: string | null;
  cancelledAt?: string | null;
  displayFinancialStatus?: string | null;
  displayFulfillmentStatus?: string | null;
  currencyCode?: string | null;
  totalPriceSet?: Money;
  totalRefundedSet?: Money;
  customer?: { id: string; displayName?: string | null } | null;
  shippingAddress?: GqlMailingAddress | null;
  lineItems?: {
    nodes: {
      id: string;
      name: string;
      quantity: number;
      sku?: string | null;
      product?: { id: string } | null;
      variant?: { id: string } | null;
      originalUnitPriceSet?: Money;
    }[];
  } | null;
  fulfillments?: GqlFulfillment[] | null;
  returns?: { nodes: { id: string; name?: string | null; status: string }[] } | null;
  refunds?: { id: string; note?: string | null; createdAt?: string | null; totalRefundedSet?: Money }[] | null;
};

export type GqlCustomer = {
  id: string;
  displayName?: string | null;
  email?: string | null;
  numberOfOrders?: string | number | null;
  amountSpent?: { amount?: string | null } | null;
};

export function mapAddress(a: GqlMailingAddress | null | undefined): Address | null {
  if (!a || !a.address1) return null;
  const name = a.name ?? ([a.firstName, a.lastName].filter(Boolean).join(' ') || undefined);
  return {
    name: name ?? undefined,
    address1: a.address1,
    address2: a.address2 ?? undefined,
    city: a.city ?? '',
    province: a.provinceCode ?? a.province ?? undefined,
    zip: a.zip ?? '',
    country: a.countryCodeV2 ?? a.country ?? '',
  };
}

/** GraphQL fulfillment → domain; a cancelled/failed one keeps that status so it stops counting. */
export function mapFulfillment(f: GqlFulfillment): Fulfillment {
  const raw = (f.status ?? '').toUpperCase();
  const status = ['CANCELLED', 'ERROR', 'FAILURE'].includes(raw)
    ? raw.toLowerCase()
    : (f.displayStatus ?? f.status ?? '').toLowerCase() || undefined;
  const tracking = (f.trackingInfo ?? []).filter((t) => t.number);
  const itemIds = f.fulfillmentLineItems?.nodes.map((n) => n.lineItem?.id).filter((x): x is string => Boolean(x));
  return {
    id: f.id,
    trackingNumbers: tracking.map((t) => String(t.number)),
    carrier: tracking.find((t) => t.company)?.company ?? undefined,
    trackingUrl: tracking.find((t) => t.url)?.url ?? undefined,
    status,
    itemIds: itemIds?.length ? itemIds : undefined,
    shippedAt: f.inTransitAt ?? f.createdAt ?? undefined,
    deliveredAt: f.deliveredAt ?? undefined,
  };
}

export function mapGraphqlOrder(node: GqlOrder, storeId: string): Order {
  const fulfillments = (node.fulfillments ?? []).map(mapFulfillment);
  const refunds: OrderRefund[] | undefined = node.refunds?.map((r) => ({
    id: r.id,
    amount: money(r.totalRefundedSet?.shopMoney?.amount),
    note: r.note ?? null,
    createdAt: r.createdAt ?? null,
  }));
  const financialStatus = node.displayFinancialStatus?.toLowerCase() ?? null;
  const fulfillmentStatus = node.displayFulfillmentStatus?.toLowerCase() ?? null;
  const returnStatus = node.returns ? pickReturnStatus(node.returns.nodes.map((r) => r.status)) : null;
  return {
    id: node.id,
    storeId,
    externalId: node.id,
    orderNumber: node.name,
    email: node.email?.toLowerCase() ?? null,
    customerName: node.customer?.displayName ?? node.shippingAddress?.name ?? null,
    customerExternalId: node.customer?.id ?? null,
    state: deriveOrderState({ cancelled: Boolean(node.cancelledAt), financialStatus, fulfillmentStatus, fulfillments, returnStatus }),
    financialStatus,
    fulfillmentStatus,
    totalPrice: money(node.totalPriceSet?.shopMoney?.amount),
    currency: node.totalPriceSet?.shopMoney?.currencyCode ?? node.currencyCode ?? 'USD',
    lineItems: (node.lineItems?.nodes ?? []).map((li) => ({
      id: li.id,
      productId: li.product?.id,
      variantId: li.variant?.id,
      name: li.name,
      quantity: li.quantity,
      price: money(li.originalUnitPriceSet?.shopMoney?.amount),
    })),
    shippingAddress: mapAddress(node.shippingAddress),
    fulfillments,
    trackingNumbers: [...new Set(fulfillments.flatMap((f) => f.trackingNumbers))],
    placedAt: node.createdAt ?? null,
    updatedAt: node.updatedAt ?? null,
    refundedAmount: money(node.totalRefundedSet?.shopMoney?.amount),
    refunds,
    returnStatus,
    cancelledAt: node.cancelledAt ?? null,
  };
}

export function mapCustomer(c: GqlCustomer): CustomerProfile {
  return {
    externalId: c.id,
    email: c.email?.toLowerCase() ?? null,
    name: c.displayName ?? null,
    totalOrders: Number(c.numberOfOrders ?? 0) || 0,
    totalSpent: money(c.amountSpent?.amount),
  };
}

/**
 * Domain Address → MailingAddressInput (countryCode/provinceCode; the free-text `country` and
 * `province` fields are deprecated and only used when no code can be derived).
 */
export function toMailingAddressInput(a: Address): Record<string, string> {
  const [firstName, ...rest] = (a.name ?? '').trim().split(/\s+/).filter(Boolean);
  const countryRaw = a.country.trim();
  const code = countryCode(countryRaw);
  const province = a.province?.trim();
  const input: Record<string, string> = { address1: a.address1, city: a.city, zip: a.zip };
  if (a.address2) input.address2 = a.address2;
  if (firstName) input.firstName = firstName;
  if (rest.length) input.lastName = rest.join(' ');
  if (code) input.countryCode = code;
  else input.country = countryRaw;
  if (province && /^[A-Za-z0-9]{1,3}$/.test(province)) input.provinceCode = province.toUpperCase();
  else if (province) input.province = province;
  return input;
}
