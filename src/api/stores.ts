/**
 *   GET   /api/v1/stores/:storeId   (read)  the store, its settings and connected platforms (meta only)
 *   PATCH /api/v1/stores/:storeId   (admin) `{settings: {...partial}}` → the full store
 *
 * `:storeId` is the uuid or slug of the key's own store (another store: 403). Settings take effect
 * on the next message: every turn reads them from the database.
 */
import { Router } from 'express';
import type { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { notFound } from '../errors.js';
import { listCredentialMeta } from '../store/credentials.js';
import { toStore, updateStoreSettings } from '../store/stores.js';
import { storeAccess } from './access.js';
import { applySettingsPatch } from './settings-patch.js';
import { patchStoreBody, type storeSchema } from './schemas/stores.js';

type StoreBody = z.infer<typeof storeSchema>;

async function storeBody(ctx: AppContext, storeId: string): Promise<StoreBody> {
  const row = await ctx.db('stores').where({ id: storeId }).first();
  if (!row) throw notFound('store not found');
  const store = toStore(row);
  const connectors = await listCredentialMeta(ctx.db, store.id);
  return {
    id: store.id,
    slug: store.slug,
    name: store.name,
    platform: store.platform,
    domain: store.domain,
    status: store.status,
    settings: store.settings,
    connectors: connectors.map((c) => ({ kind: c.kind, meta: c.meta, updated_at: c.updatedAt })),
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

/** `changed`: told after a store's settings are saved (the webhook routes forget the store). */
export function storesRouter(ctx: AppContext, hooks: { changed?: (storeId: string) => void } = {}): Router {
  const router = Router();

  router.get('/stores/:storeId', ...storeAccess(ctx, 'read'), async (req, res) => {
    res.json(await storeBody(ctx, String(req.params.storeId)));
  });

  router.patch('/stores/:storeId', ...storeAccess(ctx, 'admin'), async (req, res) => {
    const body = patchStoreBody.parse(req.body ?? {});
    const storeId = String(req.params.storeId);
    // Read-merge-write in one transaction, the row locked: two admins patching different fields
    // at once both keep their change.
    await ctx.db.transaction(async (trx) => {
      const row = await trx('stores').where({ id: storeId }).forUpdate().first();
      if (!row) throw notFound('store not found');
      const settings = applySettingsPatch(toStore(row).settings, body.settings);
      await updateStoreSettings(trx, storeId, settings);
    });
    hooks.changed?.(storeId);
    ctx.logger.info({ storeId, fields: Object.keys(body.settings) }, 'store settings updated');
    res.json(await storeBody(ctx, storeId));
  });

  return router;
}
