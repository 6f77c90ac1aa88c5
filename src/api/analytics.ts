/**
 *   GET /api/v1/stores/:storeId/analytics?start_date=YYYY-MM-DD&end_date=YYYY-MM-DD   (read)
 *
 * Computed in SQL over the stored conversations, traces and actions (src/api/analytics-queries.ts);
 * definitions in docs/analytics.md.
 */
import { Router } from 'express';
import type { AppContext } from '../app/context.js';
import { badRequest } from '../errors.js';
import { storeAccess } from './access.js';
import { storeAnalytics } from './analytics-queries.js';
import { analyticsQuery } from './schemas/stores.js';

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

export function analyticsRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/stores/:storeId/analytics', ...storeAccess(ctx, 'read'), async (req, res) => {
    const q = analyticsQuery.parse(req.query);
    const end = q.end_date ?? new Date().toISOString().slice(0, 10);
    const start = q.start_date ?? new Date(Date.parse(`${end}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
    const days = (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY_MS + 1;
    if (days < 1) throw badRequest('start_date must be on or before end_date');
    if (days > MAX_DAYS) throw badRequest(`the period may span at most ${MAX_DAYS} days`);
    res.json(await storeAnalytics(ctx.db, String(req.params.storeId), start, end));
  });
  return router;
}
