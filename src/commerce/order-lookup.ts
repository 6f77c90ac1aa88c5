/**
 * Order facts for the pipeline, with the seed's graceful degradation:
 * 1. a cached row fresher than the TTL (seed: 5 minutes) answers directly;
 * 2. otherwise the platform (Shopify) answers and the cache is refreshed;
 * 3. when the platform fails, a stale cached row answers, flagged `stale: true`;
 * 4. with nothing cached either, `OrderLookupError` (code `integration_error`, the seed's text).
 * For the demo store the tables are the source: the connector is read directly.
 *
 * API: `createOrderLookup({ db, storeId, connector, ttlMs?, now? })` →
 *   `getOrderByNumber(n)` → `{ order: Order | null, stale, source }` (null = not found),
 *   `listOrdersByEmail(email, limit)` → `Order[]` (newest first; each `stale: true` on fallback).
 */
import type { Knex } from 'knex';
import type { CommerceConnector } from '../../connectors/types.js';
import type { Order } from '../domain/order.js';
import { AppError } from '../errors.js';
import { ERROR_TEXTS } from './error-texts.js';
import { findOrderRow, findOrderRowsByEmail, rowToOrder, upsertOrder } from './order-repository.js';

export const DEFAULT_ORDER_TTL_MS = 300_000;

/** The platform did not answer and nothing usable is cached. */
export class OrderLookupError extends AppError {
  readonly code = 'integration_error' as const;
  readonly userMessage = ERROR_TEXTS.integration_error;
}

export type OrderLookupResult = { order: Order | null; stale: boolean; source: 'cache' | 'platform' | 'stale_cache' };

export type OrderLookup = {
  getOrderByNumber(orderNumber: string): Promise<OrderLookupResult>;
  listOrdersByEmail(email: string, limit: number): Promise<Order[]>;
};

export type OrderLookupDeps = {
  db: Knex;
  storeId: string;
  connector: CommerceConnector;
  /** @defaultValue 300000 (5 minutes) */
  ttlMs?: number;
  now?: () => Date;
  /** Receives ids and error messages only (never order contents). */
  onPlatformError?: (err: unknown) => void;
};

export function createOrderLookup(deps: OrderLookupDeps): OrderLookup {
  const ttlMs = deps.ttlMs ?? DEFAULT_ORDER_TTL_MS;
  const now = deps.now ?? (() => new Date());
  const isFresh = (row: Record<string, unknown>) =>
    now().getTime() - new Date(row.cached_at as string).getTime() < ttlMs;
  const stale = (o: Order): Order => ({ ...o, stale: true });

  if (deps.connector.kind === 'demo') {
    return {
      async getOrderByNumber(n) {
        return { order: await deps.connector.getOrderByNumber(n), stale: false, source: 'platform' };
      },
      listOrdersByEmail: (email, limit) => deps.connector.listOrdersByEmail(email, limit),
    };
  }

  return {
    async getOrderByNumber(orderNumber) {
      const cached = await findOrderRow(deps.db, deps.storeId, orderNumber);
      if (cached && isFresh(cached)) return { order: rowToOrder(cached), stale: false, source: 'cache' };
      let live: Order | null;
      try {
        live = await deps.connector.getOrderByNumber(orderNumber);
      } catch (err) {
        deps.onPlatformError?.(err);
        if (cached) return { order: stale(rowToOrder(cached)), stale: true, source: 'stale_cache' };
        throw new OrderLookupError(`order lookup failed: ${(err as Error)?.message ?? 'error'}`, { cause: err });
      }
      if (!live) return { order: null, stale: false, source: 'platform' };
      return { order: await upsertOrder(deps.db, deps.storeId, live, { now: now() }), stale: false, source: 'platform' };
    },

    async listOrdersByEmail(email, limit) {
      const cached = await findOrderRowsByEmail(deps.db, deps.storeId, email, limit);
      // The cache answers only when every row is fresh: a listing refreshes them all at once, and
      // orders created since arrive by the orders/create webhook.
      if (cached.length > 0 && cached.every(isFresh)) return cached.map(rowToOrder);
      let live: Order[];
      try {
        live = await deps.connector.listOrdersByEmail(email, limit);
      } catch (err) {
        deps.onPlatformError?.(err);
        if (cached.length) return cached.map((r) => stale(rowToOrder(r)));
        throw new OrderLookupError(`order list failed: ${(err as Error)?.message ?? 'error'}`, { cause: err });
      }
      const stored: Order[] = [];
      for (const o of live) stored.push(await upsertOrder(deps.db, deps.storeId, o, { now: now() }));
      return stored;
    },
  };
}
