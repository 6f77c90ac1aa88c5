import { dataPath } from '../paths.js';
import type { Knex } from 'knex';
import { readDemoCatalogue } from '../commerce/demo-data.js';
import { importDocument } from '../knowledge/import.js';
import type { Logger } from '../logger.js';
import { generateApiKey, saveApiKey } from '../security/api-keys.js';
import { createStore, findStore, type Store } from '../store/stores.js';

export const DEMO_SLUG = 'demo';

/**
 * The demo store answers read-only questions on its own (order status, shipping, products, general)
 * so a trial shows real answers at once; anything that moves money or changes an order is drafted
 * for approval. A new store starts with drafts everywhere (see src/domain/settings.ts).
 */
export const DEMO_SETTINGS = {
  modes: {
    default: 'draft' as const,
    order_status: 'auto' as const,
    shipping_question: 'auto' as const,
    product_question: 'auto' as const,
    general_inquiry: 'auto' as const,
  },
};

export type BootstrapResult = { store: Store; created: boolean; printedKey?: string };

/**
 * On an empty database: create store `demo` and load its customers, products, orders and policy.
 * Runs in one transaction, so a crash half-way leaves nothing and the next start loads it all;
 * a store that exists is never loaded twice.
 */
export async function bootstrapDemoStore(
  db: Knex,
  opts: { dataDir: string; bootstrapApiKey?: string; logger: Logger },
): Promise<BootstrapResult> {
  let store = await findStore(db, DEMO_SLUG);
  let created = false;
  let printedKey: string | undefined;
  if (!store) {
    const catalogue = readDemoCatalogue(opts.dataDir);
    store = await db.transaction(async (trx) => {
      const s = await createStore(trx, { slug: DEMO_SLUG, name: 'Demo store', platform: 'demo', settings: DEMO_SETTINGS });
      const scoped = <T extends Record<string, unknown>>(rows: T[]) => rows.map((r) => ({ ...r, store_id: s.id }));
      await trx.batchInsert('customers', scoped(catalogue.customers), 500);
      await trx.batchInsert('products', scoped(catalogue.products), 500);
      await trx.batchInsert('orders', scoped(catalogue.orders), 250);
      // Link orders to customers by the platform's customer id.
      await trx.raw(
        `update orders o set customer_id = c.id from customers c
          where o.store_id = ? and c.store_id = o.store_id and c.external_id = o.customer_external_id`,
        [s.id],
      );
      await trx.raw(
        `update customers c set total_spent = coalesce((select sum(o.total_price) from orders o
           where o.customer_id = c.id and o.status <> 'cancelled'), 0) where c.store_id = ?`,
        [s.id],
      );
      return s;
    });
    await importDocument(db, {
      storeId: store.id,
      title: catalogue.policy.title,
      sourceRef: catalogue.policy.sourceRef,
      content: catalogue.policy.content,
      source: 'file',
      category: 'policy',
    });
    created = true;
    opts.logger.info(
      { storeId: store.id, customers: catalogue.customers.length, orders: catalogue.orders.length },
      'demo store created',
    );
  }
  if (opts.bootstrapApiKey) {
    await saveApiKey(db, { storeId: store.id, key: opts.bootstrapApiKey, name: 'bootstrap', permissions: ['admin'] });
  } else if (created) {
    printedKey = generateApiKey();
    await saveApiKey(db, { storeId: store.id, key: printedKey, name: 'first admin key', permissions: ['admin'] });
  }
  return { store, created, printedKey };
}

export const demoDataDir = () => dataPath('demo');
