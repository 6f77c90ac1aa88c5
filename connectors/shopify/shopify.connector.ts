/**
 * CommerceConnector on the Shopify GraphQL Admin API.
 * - Lookups: order by name (`#1001`), a customer's recent orders by email, customer profile.
 * - Actions: orderCancel, refundCreate, orderUpdate (shipping address), returnRequest.
 *   A vendor refusal (userErrors) is `{ ok: false, reason }`; transport failures throw
 *   RetryableError/PermanentError (shopify.client.ts). Each mutation carries the caller's
 *   idempotency key in a staff-visible note where Shopify has one, so a retry after a crash can see
 *   it happened (src/commerce/action-executor.ts reconciles before sending again).
 */
import type { ActionResult, CommerceConnector, CustomerProfile, WriteOptions } from '../types.js';
import type { Address, Order } from '../../src/domain/order.js';
import { sameAddress } from '../../src/commerce/address.js';
import { refMarker } from '../../src/commerce/idempotency.js';
import { matchesOrderNumber, normalizeEmail, orderNumberCandidates } from '../../src/commerce/order-number.js';
import { createShopifyClient, type ShopifyClientOptions, type ShopifyGraphqlClient } from './shopify.client.js';
import * as Q from './shopify.graphql.js';
import { mapAddress, mapCustomer, mapGraphqlOrder, toMailingAddressInput, type GqlCustomer, type GqlMailingAddress, type GqlOrder } from './shopify.mappers.js';
import { activeFulfillments, money } from './shopify.state.js';

type UserError = { field?: string[] | null; message: string };
type Transaction = { id: string; kind: string; status: string; gateway: string; amountSet?: { shopMoney?: { amount?: string } } };

const CANCEL_REASONS = new Set(['CUSTOMER', 'DECLINED', 'FRAUD', 'INVENTORY', 'OTHER', 'STAFF']);

const refused = (errors: UserError[]): ActionResult => ({
  ok: false,
  reason: errors.map((e) => e.message).join('; ').slice(0, 500) || 'refused by Shopify',
});

export class ShopifyCommerceConnector implements CommerceConnector {
  readonly kind = 'shopify' as const;

  constructor(
    private readonly client: ShopifyGraphqlClient,
    private readonly storeId: string,
  ) {}

  async getOrderByNumber(orderNumber: string): Promise<Order | null> {
    const candidates = orderNumberCandidates(orderNumber);
    if (!candidates.length) return null;
    // [U] how `name:` treats "#": ask for both forms, keep only an exact match.
    const query = candidates.map((c) => `name:"${c}"`).join(' OR ');
    const data = await this.client.request<{ orders: { nodes: GqlOrder[] } }>(Q.ORDER_BY_NAME, { query });
    const node = data.orders.nodes.find((n) => matchesOrderNumber(n.name, candidates));
    return node ? mapGraphqlOrder(node, this.storeId) : null;
  }

  async getOrderByExternalId(externalId: string): Promise<Order | null> {
    const data = await this.client.request<{ order: GqlOrder | null }>(Q.ORDER_BY_ID, { id: externalId });
    return data.order ? mapGraphqlOrder(data.order, this.storeId) : null;
  }

  async listOrdersByEmail(email: string, limit: number): Promise<Order[]> {
    const e = normalizeEmail(email);
    if (!e) return [];
    const first = Math.min(Math.max(1, limit), 25);
    const data = await this.client.request<{ orders: { nodes: GqlOrder[] } }>(Q.ORDERS_BY_EMAIL, { query: `email:"${e}"`, first });
    // Search is fuzzy: only the customer's own orders leave this method.
    return data.orders.nodes.filter((n) => n.email?.toLowerCase() === e).map((n) => mapGraphqlOrder(n, this.storeId));
  }

  async getCustomerByEmail(email: string): Promise<CustomerProfile | null> {
    const e = normalizeEmail(email);
    if (!e) return null;
    const data = await this.client.request<{ customers: { nodes: GqlCustomer[] } }>(Q.CUSTOMER_BY_EMAIL, { query: `email:"${e}"` });
    const c = data.customers.nodes.find((n) => n.email?.toLowerCase() === e);
    return c ? mapCustomer(c) : null;
  }

  async cancelOrder(order: Order, input: { reason: string; refund: boolean; restock: boolean }, opts: WriteOptions): Promise<ActionResult> {
    const reason = CANCEL_REASONS.has(input.reason.toUpperCase()) ? input.reason.toUpperCase() : 'CUSTOMER';
    const data = await this.client.request<{ orderCancel: { job: { id: string; done: boolean } | null; orderCancelUserErrors: UserError[] } }>(
      Q.ORDER_CANCEL,
      {
        orderId: order.externalId,
        reason,
        refundMethod: { originalPaymentMethodsRefund: input.refund },
        restock: input.restock,
        notifyCustomer: true,
        staffNote: `Cancelled by the support bot (${input.reason.slice(0, 100)}) ${refMarker(opts.idempotencyKey)}`,
      },
    );
    const r = data.orderCancel;
    if (r.orderCancelUserErrors.length) return refused(r.orderCancelUserErrors);
    // The cancel runs as a Shopify job; the order shows cancelledAt once it is done.
    return { ok: true, externalId: r.job?.id, detail: { jobId: r.job?.id ?? null, done: r.job?.done ?? false } };
  }

  async refund(order: Order, input: { amount: number; lineItemIds?: string[]; reason: string }, opts: WriteOptions): Promise<ActionResult> {
    const tx = await this.client.request<{ order: { transactions: Transaction[] } | null }>(Q.ORDER_TRANSACTIONS, { id: order.externalId });
    const amountOf = (t: Transaction) => money(t.amountSet?.shopMoney?.amount);
    const parent = (tx.order?.transactions ?? [])
      .filter((t) => (t.kind === 'SALE' || t.kind === 'CAPTURE') && t.status === 'SUCCESS')
      .sort((a, b) => amountOf(b) - amountOf(a))[0];
    if (!parent) return { ok: false, reason: 'no captured payment to refund on this order' };
    if (input.amount > amountOf(parent)) return { ok: false, reason: 'refund exceeds the captured payment' };
    const quantities = new Map(order.lineItems.map((li) => [li.id, li.quantity]));
    const data = await this.client.request<{ refundCreate: { refund: { id: string } | null; userErrors: UserError[] } }>(Q.REFUND_CREATE, {
      input: {
        orderId: order.externalId,
        note: `${input.reason.slice(0, 200)} ${refMarker(opts.idempotencyKey)}`,
        notify: true,
        refundLineItems: (input.lineItemIds ?? [])
          .filter((id) => quantities.has(id))
          .map((lineItemId) => ({ lineItemId, quantity: quantities.get(lineItemId) ?? 1, restockType: 'NO_RESTOCK' })),
        transactions: [
          { orderId: order.externalId, gateway: parent.gateway, kind: 'REFUND', amount: input.amount.toFixed(2), parentId: parent.id },
        ],
      },
    });
    const r = data.refundCreate;
    if (r.userErrors.length || !r.refund) return refused(r.userErrors);
    return { ok: true, externalId: r.refund.id, detail: { amount: input.amount } };
  }

  async updateShippingAddress(order: Order, address: Address, _opts: WriteOptions): Promise<ActionResult> {
    const data = await this.client.request<{ orderUpdate: { order: { id: string; shippingAddress: GqlMailingAddress | null } | null; userErrors: UserError[] } }>(
      Q.ORDER_UPDATE_ADDRESS,
      { input: { id: order.externalId, shippingAddress: toMailingAddressInput(address) } },
    );
    const r = data.orderUpdate;
    if (r.userErrors.length || !r.order) return refused(r.userErrors);
    // A community report says shippingAddress was once silently ignored: trust the echoed address only.
    if (!sameAddress(mapAddress(r.order.shippingAddress), address)) {
      return { ok: false, reason: 'Shopify did not apply the new shipping address' };
    }
    return { ok: true, externalId: r.order.id };
  }

  async requestReturn(order: Order, input: { lineItemIds: string[]; reason: string }, _opts: WriteOptions): Promise<ActionResult> {
    const detail = await this.client.request<{ order: GqlOrder | null }>(Q.ORDER_BY_ID, { id: order.externalId });
    const wanted = new Set(input.lineItemIds);
    const fulfilled = (detail.order?.fulfillments ?? [])
      .filter((f) => activeFulfillments([{ trackingNumbers: [], status: (f.status ?? '').toLowerCase() }]).length > 0)
      .flatMap((f) => f.fulfillmentLineItems?.nodes ?? [])
      .filter((n) => wanted.size === 0 || (n.lineItem && wanted.has(n.lineItem.id)));
    if (!fulfilled.length) return { ok: false, reason: 'no fulfilled items to return on this order' };
    const data = await this.client.request<{ returnRequest: { return: { id: string; status: string } | null; userErrors: UserError[] } }>(
      Q.RETURN_REQUEST,
      {
        input: {
          orderId: order.externalId,
          returnLineItems: fulfilled.map((n) => ({
            fulfillmentLineItemId: n.id,
            quantity: n.quantity,
            returnReason: returnReason(input.reason),
            customerNote: input.reason.slice(0, 300),
          })),
        },
      },
    );
    const r = data.returnRequest;
    if (r.userErrors.length || !r.return) return refused(r.userErrors);
    return { ok: true, externalId: r.return.id, detail: { status: r.return.status } };
  }
}

/** Free-text reason → ReturnReason enum ([S] values; OTHER when nothing matches). */
export function returnReason(text: string): string {
  const t = text.toLowerCase();
  if (/defect|broken|damag|faulty/.test(t)) return 'DEFECTIVE';
  if (/wrong item|wrong product/.test(t)) return 'WRONG_ITEM';
  if (/not as described/.test(t)) return 'NOT_AS_DESCRIBED';
  if (/too small/.test(t)) return 'SIZE_TOO_SMALL';
  if (/too (big|large)/.test(t)) return 'SIZE_TOO_LARGE';
  if (/colou?r/.test(t)) return 'COLOR';
  if (/style/.test(t)) return 'STYLE';
  if (/unwanted|no longer|changed my mind|don't want|do not want/.test(t)) return 'UNWANTED';
  return 'OTHER';
}

export type ShopifyConnectorOptions = ShopifyClientOptions & { storeId: string };

export function createShopifyConnector(opts: ShopifyConnectorOptions): ShopifyCommerceConnector {
  return new ShopifyCommerceConnector(createShopifyClient(opts), opts.storeId);
}
