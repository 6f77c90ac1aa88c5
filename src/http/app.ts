import express, { type Express, type Router } from 'express';
import type { AppContext } from '../app/context.js';
import { errorHandler, notFoundHandler } from './middleware/errors.js';
import { requestContext } from './middleware/request-id.js';
import { shopifySessionAuth } from './middleware/shopify-session.js';
import { httpMetrics, mountedAt } from './middleware/http-metrics.js';
import { healthRouter } from './routes/health.js';
import { metricsRouter } from './routes/metrics.js';
import './types.js';

/** A router and where it is mounted. Webhook routers get the raw body (signatures need it). */
export type RouteModule = { path: string; router: Router; rawBody?: boolean };

/**
 * The Express app: request ids and logs, body limits (413), the route modules, and one error
 * handler that produces the statuses in DESIGN.md.
 */
export function createApp(ctx: AppContext, modules: RouteModule[] = []): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(httpMetrics());
  app.use(requestContext(ctx.logger));
  app.use(healthRouter(ctx));
  app.use(metricsRouter(ctx));
  app.get('/', (_req, res) => res.redirect(302, '/dashboard/'));
  app.use('/api', shopifySessionAuth(ctx.db, { apiKey: ctx.config.SHOPIFY_API_KEY, apiSecret: ctx.config.SHOPIFY_API_SECRET }));

  const limit = ctx.config.BODY_LIMIT_BYTES;
  for (const m of modules.filter((m) => m.rawBody)) {
    app.use(
      m.path,
      express.raw({ type: () => true, limit }),
      (req, _res, next) => {
        req.rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        next();
      },
      mountedAt(m.path),
      m.router,
    );
  }
  app.use(express.json({ limit, type: ['application/json', 'application/*+json'] }));
  app.use(express.urlencoded({ limit, extended: false }));
  for (const m of modules.filter((m) => !m.rawBody)) app.use(m.path, mountedAt(m.path), m.router);

  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}
