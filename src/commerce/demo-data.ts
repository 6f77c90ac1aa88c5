import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OrderState } from '../domain/order.js';

/** Shapes of the τ-bench retail files in data/demo (see data/demo/README.md). */
type TauAddress = { address1: string; address2?: string; city: string; country: string; state: string; zip: string };
type TauUser = {
  name: { first_name: string; last_name: string };
  address: TauAddress;
  email: string;
  payment_methods: Record<string, { source: string; id: string; brand?: string; last_four?: string }>;
  orders: string[];
};
type TauOrder = {
  order_id: string;
  user_id: string;
  address: TauAddress;
  items: { name: string; product_id: string; item_id: string; price: number; options: Record<string, string> }[];
  fulfillments: { tracking_id: string[]; item_ids: string[] }[];
  status: string;
  payment_history: { transaction_type: string; amount: number; payment_method_id: string }[];
};
type TauProduct = {
  name: string;
  product_id: string;
  variants: Record<string, { item_id: string; options: Record<string, string>; available: boolean; price: number }>;
};

export type DemoCatalogue = {
  customers: Record<string, unknown>[];
  orders: Record<string, unknown>[];
  products: Record<string, unknown>[];
  policy: { title: string; sourceRef: string; content: string };
};

const STATE_BY_TAU_STATUS: Record<string, OrderState> = {
  pending: 'pending',
  processed: 'in_transit',
  delivered: 'delivered',
  cancelled: 'cancelled',
};

const address = (a: TauAddress, name?: string) => ({
  name,
  address1: a.address1,
  address2: a.address2 || undefined,
  city: a.city,
  province: a.state,
  zip: a.zip,
  country: a.country,
});

/** Reads data/demo and maps it to rows for customers, orders and products (without store_id). */
export function readDemoCatalogue(dir: string): DemoCatalogue {
  const read = <T>(file: string): T => JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
  const users = read<Record<string, TauUser>>('users.json');
  const orders = read<Record<string, TauOrder>>('orders.json');
  const products = read<Record<string, TauProduct>>('products.json');

  const customers = Object.entries(users).map(([userId, u]) => ({
    external_id: userId,
    email: u.email.toLowerCase(),
    name: `${u.name.first_name} ${u.name.last_name}`,
    total_orders: u.orders.length,
    total_spent: 0,
    metadata: JSON.stringify({ address: address(u.address), payment_methods: Object.values(u.payment_methods) }),
  }));

  const orderRows = Object.values(orders).map((o) => {
    const user = users[o.user_id];
    const name = user ? `${user.name.first_name} ${user.name.last_name}` : null;
    const paid = o.payment_history.filter((p) => p.transaction_type === 'payment').reduce((s, p) => s + p.amount, 0);
    const refunded = o.payment_history.filter((p) => p.transaction_type === 'refund').reduce((s, p) => s + p.amount, 0);
    const state = STATE_BY_TAU_STATUS[o.status] ?? 'pending';
    const shipped = state === 'in_transit' || state === 'delivered';
    const fulfillments = shipped
      ? o.fulfillments.map((f) => ({ trackingNumbers: f.tracking_id, itemIds: f.item_ids, status: o.status }))
      : [];
    return {
      external_id: o.order_id,
      order_number: o.order_id,
      email: user?.email.toLowerCase() ?? null,
      customer_external_id: o.user_id,
      customer_name: name,
      status: state,
      financial_status: refunded > 0 ? 'refunded' : 'paid',
      fulfillment_status: state === 'delivered' ? 'delivered' : state === 'in_transit' ? 'fulfilled' : null,
      total_price: Math.round(o.items.reduce((s, i) => s + i.price, 0) * 100) / 100,
      currency: 'USD',
      line_items: JSON.stringify(
        o.items.map((i) => ({
          id: i.item_id,
          productId: i.product_id,
          variantId: i.item_id,
          name: i.name,
          quantity: 1,
          price: i.price,
          options: i.options,
        })),
      ),
      shipping_address: JSON.stringify(address(o.address, name ?? undefined)),
      fulfillments: JSON.stringify(fulfillments),
      tracking_numbers: JSON.stringify(fulfillments.flatMap((f) => f.trackingNumbers)),
      payment_history: JSON.stringify(o.payment_history),
      raw: JSON.stringify({ paid, refunded, source_status: o.status }),
    };
  });

  const productRows = Object.values(products).map((p) => ({
    external_id: p.product_id,
    name: p.name,
    variants: JSON.stringify(Object.values(p.variants)),
  }));

  return {
    customers,
    orders: orderRows,
    products: productRows,
    policy: { title: 'Store policy', sourceRef: 'demo/wiki.md', content: readFileSync(join(dir, 'wiki.md'), 'utf8') },
  };
}
