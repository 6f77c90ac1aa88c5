/**
 * What an install and an uninstall of the Shopify app change in our database.
 * - `completeShopifyInstall`: create the store (slug from the shop name) or reactivate it, keep the
 *   offline token encrypted (shopify_sessions + connector_credentials kind 'shopify'), and give a
 *   brand-new store its first admin API key (returned once, only its hash is stored).
 * - `markShopifyUninstalled`: delete the token everywhere and set the store `uninstalled`, which
 *   stops automation (the pipeline skips stores that are not active).
 */
import type { Knex } from 'knex';
import { encrypt } from '../security/crypto.js';
import { generateApiKey, saveApiKey } from '../security/api-keys.js';
import { deleteCredentials, saveCredentials } from '../store/credentials.js';
import { createStore, toStore, type Store } from '../store/stores.js';

export type InstallInput = { shop: string; accessToken: string; scope: string; apiVersion: string };
export type InstallResult = { store: Store; created: boolean; reactivated: boolean; apiKey?: string };

/** "acme-goods.myshopify.com" → "acme-goods". */
export function slugFromShop(shop: string): string {
  const base = shop.split('.')[0]?.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') ?? '';
  return (base || 'shop').slice(0, 50);
}

export async function completeShopifyInstall(db: Knex, encryptionKey: Buffer, input: InstallInput): Promise<InstallResult> {
  const shop = input.shop.toLowerCase();
  return db.transaction(async (trx) => {
    let created = false;
    let reactivated = false;
    let row = await trx('stores').where({ domain: shop }).first();
    if (row) {
      reactivated = row.status !== 'active';
      [row] = await trx('stores')
        .where({ id: row.id })
        .update({ status: 'active', platform: 'shopify', updated_at: trx.fn.now() })
        .returning('*');
    } else {
      const store = await createStore(trx, { slug: await freeSlug(trx, slugFromShop(shop)), name: slugFromShop(shop), platform: 'shopify', domain: shop });
      row = await trx('stores').where({ id: store.id }).first();
      created = true;
    }
    const store = toStore(row);
    await trx('shopify_sessions')
      .insert({
        id: `offline_${shop}`,
        store_id: store.id,
        shop,
        is_online: false,
        scope: input.scope,
        access_token_ciphertext: encrypt(encryptionKey, input.accessToken),
      })
      .onConflict('id')
      .merge({
        store_id: store.id,
        scope: input.scope,
        access_token_ciphertext: encrypt(encryptionKey, input.accessToken),
        updated_at: trx.fn.now(),
      });
    await saveCredentials(trx, encryptionKey, {
      storeId: store.id,
      kind: 'shopify',
      secrets: { accessToken: input.accessToken },
      meta: { shop, scope: input.scope, apiVersion: input.apiVersion, installedAt: new Date().toISOString() },
    });
    const activeKeys = await trx('api_keys').where({ store_id: store.id }).whereNull('revoked_at').count<{ count: string }[]>({ count: '*' });
    let apiKey: string | undefined;
    if (Number(activeKeys[0]?.count ?? 0) === 0) {
      apiKey = generateApiKey();
      await saveApiKey(trx, { storeId: store.id, key: apiKey, name: 'shopify install', permissions: ['admin'] });
    }
    return { store, created, reactivated, apiKey };
  });
}

async function freeSlug(db: Knex, base: string): Promise<string> {
  for (let i = 1; i < 1000; i++) {
    const slug = i === 1 ? base : `${base}-${i}`;
    if (!(await db('stores').where({ slug }).first('id'))) return slug;
  }
  throw new Error('no free store slug');
}

export async function markShopifyUninstalled(db: Knex, storeId: string, shop: string): Promise<void> {
  await db.transaction(async (trx) => {
    await deleteCredentials(trx, storeId, 'shopify');
    await trx('shopify_sessions').where({ store_id: storeId }).orWhere({ shop: shop.toLowerCase() }).delete();
    await trx('stores').where({ id: storeId }).update({ status: 'uninstalled', updated_at: trx.fn.now() });
  });
}
