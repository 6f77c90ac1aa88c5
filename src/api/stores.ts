import { Router } from 'express';
import type { AppContext } from '../app/context.js';
import { notFound } from '../errors.js';
import { requireApiKey, requireOwnStore } from '../http/middleware/auth.js';
import { findStore } from '../store/stores.js';

/** GET /api/v1/stores/:storeId — the store's configuration (never its credentials). */
export function storesRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/stores/:storeId', requireApiKey(ctx.db, 'read'), requireOwnStore(ctx.db), async (req, res) => {
    const store = await findStore(ctx.db, String(req.params.storeId));
    if (!store) throw notFound('store not found');
    res.json({
      id: store.id,
      slug: store.slug,
      name: store.name,
      platform: store.platform,
      domain: store.domain,
      status: store.status,
      settings: store.settings,
    });
  });
  return router;
}
