/**
 * CommerceConnector over our own tables (the demo store, or any `custom` store loaded locally), so
 * the bot works fully without Shopify. It refuses what Shopify would refuse (the order-fact rules
 * of src/commerce/policy-limits.ts) and mutates rows the τ-bench way:
 * - cancel → status cancelled, a refund entry in payment_history (when refunding);
 * - refund → a payment_history refund entry, financial_status partially_refunded/refunded;
 * - address → shipping_address;
 * - return → a `returns` entry in raw; the state stays delivered with returnStatus `requested`.
 * Every write runs in a transaction on the locked row, and leaves the idempotency key in the row
 * (refund note / raw), so reconciliation after a crash finds it.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { ActionResult, CommerceConnector, CustomerProfile, WriteOptions } from '../types.js';
import type { Address, Order } from '../../src/domain/order.js';
import { refMarker } from '../../src/commerce/idempotency.js';
import { normalizeEmail, orderNumberCandidates } from '../../src/commerce/order-number.js';
import { findOrderRow, findOrderRowsByEmail, rowToOrder } from '../../src/commerce/order-repository.js';
import { checkOrderFacts, refundableAmount, type ActionType } from '../../src/commerce/policy-limits.js';

type Row = Record<string, unknown>;
type PaymentEntry = Record<string, unknown> & { transaction_type?: string; payment_method_id?: string };

const round2 = (n: number) => Math.round(n * 100) / 100;
const jsonValue = <T>(v: unknown, fallback: T): T => (v === null || v === undefined ? fallback : typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export class DemoCommerceConnector implements CommerceConnector {
  readonly kind = 'demo' as const;

  constructor(
    private readonly db: Knex,
    private readonly storeId: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async getOrderByNumber(orderNumber: string): Promise<Order | null> {
    const row = await findOrderRow(this.db, this.storeId, orderNumber);
    return row ? rowToOrder(row) : null;
  }

  async listOrdersByEmail(email: string, limit: number): Promise<Order[]> {
    return (await findOrderRowsByEmail(this.db, this.storeId, email, limit)).map(rowToOrder);
  }

  async getCustomerByEmail(email: string): Promise<CustomerProfile | null> {
    const e = normalizeEmail(email);
    if (!e) return null;
    const c = await this.db('customers').where({ store_id: this.storeId, email: e }).first();
    if (!c) return null;
    return { externalId: c.external_id, email: c.email, name: c.name, totalOrders: Number(c.total_orders), totalSpent: Number(c.total_spent) };
  }

  cancelOrder(order: Order, input: { reason: string; refund: boolean; restock: boolean }, opts: WriteOptions): Promise<ActionResult> {
    return this.mutate(order, 'cancel_order', undefined, (current, row) => {
      const history = jsonValue<PaymentEntry[]>(row.payment_history, []);
      const amount = input.refund ? refundableAmount(current) : 0;
      if (amount > 0) history.push(this.refundEntry(history, amount, `cancellation: ${input.reason}`, opts.idempotencyKey));
      const raw = { ...jsonValue<Record<string, unknown>>(row.raw, {}), cancelledAt: this.now().toISOString(), cancelReason: input.reason, idempotencyKey: opts.idempotencyKey };
      return {
        update: {
          status: 'cancelled',
          financial_status: amount > 0 ? 'refunded' : row.financial_status,
          payment_history: JSON.stringify(history),
          raw: JSON.stringify(raw),
        },
        result: { ok: true, externalId: String(row.external_id), detail: { refunded: amount } },
      };
    });
  }

  refund(order: Order, input: { amount: number; lineItemIds?: string[]; reason: string }, opts: WriteOptions): Promise<ActionResult> {
    return this.mutate(order, 'refund', input.amount, (current, row) => {
      const history = jsonValue<PaymentEntry[]>(row.payment_history, []);
      const amount = round2(input.amount);
      history.push(this.refundEntry(history, amount, input.reason, opts.idempotencyKey, input.lineItemIds));
      const refunded = round2((current.refundedAmount ?? 0) + amount);
      const full = refunded >= current.totalPrice;
      return {
        update: {
          financial_status: full ? 'refunded' : 'partially_refunded',
          status: full ? 'refunded' : current.state,
          payment_history: JSON.stringify(history),
        },
        result: { ok: true, externalId: `refund-${opts.idempotencyKey}`, detail: { amount } },
      };
    });
  }

  updateShippingAddress(order: Order, address: Address, opts: WriteOptions): Promise<ActionResult> {
    return this.mutate(order, 'address_change', undefined, (current, row) => {
      const next: Address = { ...address, name: address.name ?? current.shippingAddress?.name };
      const raw = { ...jsonValue<Record<string, unknown>>(row.raw, {}), addressChangeKey: opts.idempotencyKey };
      return {
        update: { shipping_address: JSON.stringify(next), raw: JSON.stringify(raw) },
        result: { ok: true, externalId: String(row.external_id) },
      };
    });
  }

  requestReturn(order: Order, input: { lineItemIds: string[]; reason: string }, opts: WriteOptions): Promise<ActionResult> {
    return this.mutate(order, 'return_request', undefined, (current, row) => {
      const known = new Set(current.lineItems.map((li) => li.id));
      const items = input.lineItemIds.length ? input.lineItemIds.filter((id) => known.has(id)) : [...known];
      if (!items.length) return { result: { ok: false, reason: 'none of the items to return are on this order' } };
      const raw = jsonValue<Record<string, unknown>>(row.raw, {});
      const id = `return-${randomUUID()}`;
      const returns = [
        ...jsonValue<unknown[]>(raw.returns, []),
        { id, lineItemIds: items, reason: input.reason, status: 'requested', idempotencyKey: opts.idempotencyKey, createdAt: this.now().toISOString() },
      ];
      return {
        update: { raw: JSON.stringify({ ...raw, returns, returnStatus: 'requested' }) },
        result: { ok: true, externalId: id, detail: { lineItemIds: items } },
      };
    });
  }

  private refundEntry(history: PaymentEntry[], amount: number, reason: string, key: string, lineItemIds?: string[]): PaymentEntry {
    // τ-bench refunds go back to the original payment method.
    const method = history.find((p) => p.transaction_type === 'payment')?.payment_method_id ?? 'original';
    return {
      transaction_type: 'refund',
      amount,
      payment_method_id: method,
      note: `${reason.slice(0, 200)} ${refMarker(key)}`,
      idempotency_key: key,
      line_item_ids: lineItemIds ?? [],
      created_at: this.now().toISOString(),
    };
  }

  /** Lock the row, re-check the order facts on the current row, apply, all in one transaction. */
  private async mutate(
    order: Order,
    action: ActionType,
    amount: number | undefined,
    apply: (current: Order, row: Row) => { update?: Record<string, unknown>; result: ActionResult },
  ): Promise<ActionResult> {
    return this.db.transaction(async (trx) => {
      const row = (await trx('orders').where({ store_id: this.storeId, external_id: order.externalId }).forUpdate().first()) as Row | undefined;
      if (!row) return { ok: false, reason: `order ${orderNumberCandidates(order.orderNumber)[0] ?? ''} not found` };
      const current = rowToOrder(row);
      const refusal = checkOrderFacts(action, current, amount);
      if (refusal) return { ok: false, reason: refusal.reason };
      const { update, result } = apply(current, row);
      if (update) {
        const now = this.now();
        await trx('orders').where({ id: row.id }).update({ ...update, updated_at: now, cached_at: now });
      }
      return result;
    });
  }
}

export function createDemoCommerceConnector(db: Knex, storeId: string, now?: () => Date): DemoCommerceConnector {
  return new DemoCommerceConnector(db, storeId, now);
}
