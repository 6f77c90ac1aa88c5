import { Router } from 'express';
import type { AppContext } from '../../app/context.js';
import { pingDb } from '../../db/connect.js';
import { pingRedis } from '../../infra/redis.js';

/** 200 {"status":"ok"} only when both the database and Redis answer; else 503 naming which failed. */
export function healthRouter(ctx: Pick<AppContext, 'db' | 'redis'>): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const [database, redis] = await Promise.all([pingDb(ctx.db), pingRedis(ctx.redis)]);
    if (database && redis) {
      res.json({ status: 'ok' });
      return;
    }
    const failed = [!database && 'database', !redis && 'redis'].filter(Boolean);
    res.status(503).json({ status: 'unavailable', failed, database: database ? 'ok' : 'down', redis: redis ? 'ok' : 'down' });
  });
  return router;
}
