import type { CommerceConnector } from '../../connectors/types.js';
import type { AppContext } from '../app/context.js';
import { createOrderLookup, OrderLookupError } from '../commerce/order-lookup.js';
import type { Store } from '../store/stores.js';
import { IntegrationUnavailable, type OrderFacts } from './ports.js';

/**
 * Order facts for the pipeline through the commerce order lookup: the demo tables, or Shopify
 * with the order cache (5-minute TTL) and the stale cache as fallback when Shopify is down.
 */
export function createOrderFacts(ctx: Pick<AppContext, 'db' | 'logger'>, store: Store, connector: CommerceConnector): OrderFacts {
  const lookup = createOrderLookup({
    db: ctx.db,
    storeId: store.id,
    connector,
    onPlatformError: (err) => ctx.logger.warn({ storeId: store.id, err: (err as Error).message }, 'order lookup: platform failed'),
  });
  const translate = (err: unknown): never => {
    throw err instanceof OrderLookupError ? new IntegrationUnavailable(err.message) : err;
  };
  return {
    async getOrderByNumber(orderNumber) {
      const r = await lookup.getOrderByNumber(orderNumber).catch(translate);
      return { order: r.order, stale: r.stale };
    },
    listOrdersByEmail: (email, limit) => lookup.listOrdersByEmail(email, limit).catch(translate),
  };
}
