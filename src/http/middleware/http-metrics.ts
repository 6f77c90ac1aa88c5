import type { RequestHandler } from 'express';
import { processMetrics } from '../../metrics/process-metrics.js';

/**
 * Times every answer into hsb_http_request_duration_seconds, labelled by the route *pattern*
 * (`/api/v1/conversations/:id`, never the id), so the series stay few and carry no data.
 */
export function httpMetrics(): RequestHandler {
  const seconds = processMetrics().httpSeconds;
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const pattern = req.route?.path;
      const mount = (res.locals.mountPath as string | undefined) ?? '';
      const route = typeof pattern === 'string' ? `${mount}${pattern}` : res.statusCode === 404 ? 'unmatched' : mount || 'other';
      seconds.observe({ method: req.method, route, status: String(res.statusCode) }, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  };
}

/**
 * Remembers where the router about to run is mounted. Express restores `req.baseUrl` when a
 * route throws, so by the time the error answer finishes only this still knows the prefix.
 */
export function mountedAt(path: string): RequestHandler {
  return (_req, res, next) => {
    res.locals.mountPath = path;
    next();
  };
}
