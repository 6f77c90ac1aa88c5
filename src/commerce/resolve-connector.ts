/**
 * The commerce connector of a store: the local tables for `demo`/`custom` stores, the Shopify
 * GraphQL Admin API (offline token decrypted from connector_credentials kind 'shopify') for
 * `shopify` stores. The only place that knows which platform a store runs on.
 *
 * API: `getCommerceConnector(ctx, store, io?)` → CommerceConnector; throws PermanentError when a
 * Shopify store has no usable credentials (uninstalled, or never finished the install).
 */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import type { CommerceConnector } from '../../connectors/types.js';
import { createDemoCommerceConnector } from '../../connectors/demo/demo-commerce.connector.js';
import { createShopifyConnector, type ShopifyCommerceConnector } from '../../connectors/shopify/shopify.connector.js';
import { PermanentError } from '../errors.js';
import { loadCredentials } from '../store/credentials.js';
import type { Store } from '../store/stores.js';

const shopifySecrets = z.object({ accessToken: z.string().min(1) });

/** I/O seams for tests (nock intercepts the default fetch; `sleep` avoids real throttle waits). */
export type ConnectorIo = { fetch?: typeof fetch; sleep?: (ms: number) => Promise<void>; now?: () => Date };

export async function getCommerceConnector(
  ctx: Pick<AppContext, 'db' | 'config' | 'encryptionKey'>,
  store: Pick<Store, 'id' | 'platform' | 'domain' | 'status'>,
  io: ConnectorIo = {},
): Promise<CommerceConnector> {
  if (store.platform === 'shopify') return getShopifyConnector(ctx, store, io);
  return createDemoCommerceConnector(ctx.db, store.id, io.now);
}

export async function getShopifyConnector(
  ctx: Pick<AppContext, 'db' | 'config' | 'encryptionKey'>,
  store: Pick<Store, 'id' | 'domain' | 'status'>,
  io: ConnectorIo = {},
): Promise<ShopifyCommerceConnector> {
  if (store.status === 'uninstalled') throw new PermanentError('the Shopify app is uninstalled from this store');
  const creds = await loadCredentials(ctx.db, ctx.encryptionKey, store.id, 'shopify');
  const parsed = shopifySecrets.safeParse(creds?.secrets);
  const shop = (creds?.meta.shop as string | undefined) ?? store.domain;
  if (!parsed.success || !shop) throw new PermanentError('this store has no Shopify access token: install the app again');
  return createShopifyConnector({
    storeId: store.id,
    shop,
    accessToken: parsed.data.accessToken,
    apiVersion: ctx.config.SHOPIFY_API_VERSION,
    baseUrl: ctx.config.SHOPIFY_ADMIN_BASE_URL,
    fetch: io.fetch,
    sleep: io.sleep,
  });
}
