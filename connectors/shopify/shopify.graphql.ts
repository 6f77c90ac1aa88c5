/**
 * GraphQL Admin API documents (API version from SHOPIFY_API_VERSION, default 2025-10).
 * Shapes checked against shopify.dev reference pages; see vendor-apis.md §3 for what is [C]onfirmed.
 * Still [U]nconfirmed: how the `name:` search filter treats `#`, and the `email:` filter on orders
 * (results are therefore re-filtered by exact match in the connector).
 */

/**
 * Order fields. Lists stay small (calculated query cost: 10 orders ≈ 150 points); one order in
 * full adds refunds (their notes carry our key, for reconciliation) and fulfilled line items.
 */
function orderFields(detail: boolean): string {
  return `
  id
  name
  email
  createdAt
  updatedAt
  cancelledAt
  displayFinancialStatus
  displayFulfillmentStatus
  currencyCode
  totalPriceSet { shopMoney { amount currencyCode } }
  totalRefundedSet { shopMoney { amount currencyCode } }
  customer { id displayName }
  shippingAddress { name firstName lastName address1 address2 city province provinceCode zip country countryCodeV2 }
  lineItems(first: 20) { nodes { id name quantity sku product { id } variant { id } originalUnitPriceSet { shopMoney { amount } } } }
  fulfillments(first: 5) {
    id status displayStatus createdAt inTransitAt deliveredAt
    trackingInfo(first: 5) { company number url }
    ${detail ? 'fulfillmentLineItems(first: 20) { nodes { id quantity lineItem { id } } }' : ''}
  }
  returns(first: 5) { nodes { id name status } }
  ${detail ? 'refunds(first: 20) { id note createdAt totalRefundedSet { shopMoney { amount } } }' : ''}
`;
}

const ORDER_SUMMARY = orderFields(false);
const ORDER_DETAIL = orderFields(true);

export const ORDER_BY_NAME = `query OrderByName($query: String!) {
  orders(first: 3, query: $query) { nodes { ${ORDER_DETAIL} } }
}`;

export const ORDER_BY_ID = `query OrderById($id: ID!) {
  order(id: $id) { ${ORDER_DETAIL} }
}`;

export const ORDERS_BY_EMAIL = `query OrdersByEmail($query: String!, $first: Int!) {
  orders(first: $first, query: $query, sortKey: CREATED_AT, reverse: true) { nodes { ${ORDER_SUMMARY} } }
}`;

export const CUSTOMER_BY_EMAIL = `query CustomerByEmail($query: String!) {
  customers(first: 1, query: $query) {
    nodes { id displayName email numberOfOrders amountSpent { amount currencyCode } }
  }
}`;

/** Payment transactions: a refund must name the captured payment it returns money from. */
export const ORDER_TRANSACTIONS = `query OrderTransactions($id: ID!) {
  order(id: $id) {
    id
    transactions(first: 20) { id kind status gateway amountSet { shopMoney { amount currencyCode } } }
  }
}`;

/**
 * orderCancel: `refundMethod` replaced the boolean `refund` argument (present from 2025-07; the
 * reference example for 2026-07 uses it). The cancel runs as a background job.
 */
export const ORDER_CANCEL = `mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!, $refundMethod: OrderCancelRefundMethodInput, $restock: Boolean!, $notifyCustomer: Boolean, $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, refundMethod: $refundMethod, restock: $restock, notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
    job { id done }
    orderCancelUserErrors { field message code }
  }
}`;

/** refundCreate(input: RefundInput!): transactions[{orderId, gateway, kind: REFUND, amount, parentId}]. */
export const REFUND_CREATE = `mutation RefundCreate($input: RefundInput!) {
  refundCreate(input: $input) {
    refund { id note totalRefundedSet { shopMoney { amount currencyCode } } }
    order { id }
    userErrors { field message }
  }
}`;

/** orderUpdate(input: OrderInput!): `shippingAddress` overwrites the existing one. */
export const ORDER_UPDATE_ADDRESS = `mutation OrderUpdate($input: OrderInput!) {
  orderUpdate(input: $input) {
    order { id shippingAddress { name firstName lastName address1 address2 city province provinceCode zip country countryCodeV2 } }
    userErrors { field message }
  }
}`;

/** returnRequest: the merchant approves or declines it in the admin (status REQUESTED). */
export const RETURN_REQUEST = `mutation ReturnRequest($input: ReturnRequestInput!) {
  returnRequest(input: $input) {
    return { id name status }
    userErrors { field message }
  }
}`;

/**
 * webhookSubscriptionCreate: from 2025-10 the endpoint is `uri`; older versions take
 * `callbackUrl` (shopify.dev changelog "consolidate-webhook-graphql-surfaces"). The input is a
 * variable, so the caller picks the field for the configured version.
 */
export const WEBHOOK_SUBSCRIPTION_CREATE = `mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic }
    userErrors { field message }
  }
}`;
