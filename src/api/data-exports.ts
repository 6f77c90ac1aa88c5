import { Router } from 'express';
import type { AppContext } from '../app/context.js';
import { notFound } from '../errors.js';
import { idParam, storeAccess } from './access.js';

/**
 * Privacy exports (Shopify `customers/data_request`): the merchant downloads what we hold about a
 * customer to hand it over. Admin keys only: the export is customer PII.
 */
export function dataExportsRouter(ctx: AppContext): Router {
  const router = Router();
  const guard = storeAccess(ctx, 'admin');
  router.get('/stores/:storeId/data-exports', ...guard, async (req, res) => {
    const rows = await ctx.db('data_exports')
      .where({ store_id: req.params.storeId })
      .orderBy('created_at', 'desc')
      .limit(200)
      .select('id', 'source', 'request_id', 'customer_email', 'customer_external_id', 'created_at');
    res.json({ data: rows });
  });
  router.get('/stores/:storeId/data-exports/:exportId', ...guard, async (req, res) => {
    const id = idParam(req, 'exportId', 'export');
    const row = await ctx.db('data_exports').where({ store_id: req.params.storeId, id }).first();
    if (!row) throw notFound('export not found');
    res.setHeader('Content-Disposition', `attachment; filename="data-export-${row.id}.json"`);
    res.json(row);
  });
  return router;
}
