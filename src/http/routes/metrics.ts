import type { IncomingHttpHeaders } from 'node:http';
import { Router } from 'express';
import type { AppContext } from '../../app/context.js';
import { HttpError, notFound } from '../../errors.js';
import { backlogMetrics } from '../../metrics/backlog-metrics.js';
import { collectRuntimeMetrics, processMetrics } from '../../metrics/process-metrics.js';
import { constantTimeEqual } from '../../security/crypto.js';

/** True when the request carries `Authorization: Bearer <token>`. */
export function hasMetricsToken(headers: IncomingHttpHeaders, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
  return Boolean(m && constantTimeEqual(m[1]!.trim(), token));
}

/**
 * `GET /metrics` in Prometheus text format: this process's own metrics and the install's backlog
 * (queues, deliveries). Only with METRICS_TOKEN set, and only to its holder: queue sizes and
 * error counts say how a business is doing, and the web process faces the internet.
 */
export function metricsRouter(ctx: Pick<AppContext, 'config' | 'db' | 'queues'>): Router {
  const router = Router();
  const token = ctx.config.METRICS_TOKEN;
  const backlog = backlogMetrics(ctx);
  if (token) collectRuntimeMetrics();
  router.get('/metrics', async (req, res) => {
    if (!token) throw notFound('metrics are off: set METRICS_TOKEN to serve them');
    if (!hasMetricsToken(req.headers, token)) {
      throw new HttpError(401, 'missing or wrong metrics token', undefined, { 'WWW-Authenticate': 'Bearer' });
    }
    await backlog.refresh();
    const own = processMetrics().registry;
    res.set('Content-Type', own.contentType);
    res.send((await own.metrics()) + (await backlog.registry.metrics()));
  });
  return router;
}
