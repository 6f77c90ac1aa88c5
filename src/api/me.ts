import { Router } from 'express';
import type { AppContext } from '../app/context.js';
import { requireApiKey } from '../http/middleware/auth.js';
import { findStore } from '../store/stores.js';

/** GET /api/v1/me — which store and permissions this key has (the dashboard's sign-in check). */
export function meRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/me', requireApiKey(ctx.db, 'read'), async (req, res) => {
    const key = req.apiKey!;
    const store = await findStore(ctx.db, key.storeId);
    res.json({
      store: store ? { id: store.id, slug: store.slug, name: store.name, platform: store.platform, status: store.status } : null,
      key: { id: key.id, name: key.name, prefix: key.prefix, permissions: key.permissions },
    });
  });
  return router;
}
