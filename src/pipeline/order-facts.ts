import type { AppContext } from '../app/context.js';
import { findOrderRow, findOrderRowsByEmail, rowToOrder } from '../commerce/order-repository.js';
import type { Store } from '../store/stores.js';
import type { OrderFacts } from './ports.js';

/**
 * Order facts for a store. Demo/custom stores: the local tables are the source.
 * TODO(shopify): Shopify stores read through the commerce order lookup (cache with TTL, Shopify first).
 */
export async function createOrderFacts(ctx: Pick<AppContext, 'db'>, store: Store): Promise<OrderFacts> {
  return {
    async getOrderByNumber(orderNumber) {
      const row = await findOrderRow(ctx.db, store.id, orderNumber);
      return { order: row ? rowToOrder(row) : null, stale: false };
    },
    async listOrdersByEmail(email, limit) {
      return (await findOrderRowsByEmail(ctx.db, store.id, email, limit)).map(rowToOrder);
    },
  };
}
