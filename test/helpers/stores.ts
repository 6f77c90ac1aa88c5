import type { Knex } from 'knex';
import { bootstrapDemoStore, demoDataDir } from '../../src/bootstrap/demo-store.js';
import { createLogger } from '../../src/logger.js';
import { generateApiKey, saveApiKey, type Permission } from '../../src/security/api-keys.js';
import { createStore, type Store } from '../../src/store/stores.js';
import type { StoreSettings } from '../../src/domain/settings.js';

/** The full demo store (500 customers, 1,000 orders, policy), as `npm start` creates it. */
export async function loadDemoStore(db: Knex): Promise<Store> {
  const { store } = await bootstrapDemoStore(db, { dataDir: demoDataDir(), logger: createLogger('silent') });
  return store;
}

/** An empty store with its own admin key, for tenant-isolation tests. */
export async function createStoreWithKey(
  db: Knex,
  slug: string,
  permissions: Permission[] = ['admin'],
  settings: Partial<StoreSettings> = {},
): Promise<{ store: Store; key: string }> {
  const store = await createStore(db, { slug, name: `Store ${slug}`, settings });
  const key = generateApiKey();
  await saveApiKey(db, { storeId: store.id, key, name: 'test', permissions });
  return { store, key };
}
