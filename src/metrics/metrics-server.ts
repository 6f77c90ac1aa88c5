import { createServer, type Server } from 'node:http';
import type { Logger } from '../logger.js';
import { hasMetricsToken } from '../http/routes/metrics.js';
import { collectRuntimeMetrics, processMetrics } from './process-metrics.js';

/**
 * A worker process has no web server; with METRICS_PORT set it serves its own metrics (jobs,
 * runtime) here, to the METRICS_TOKEN holder, for Prometheus to scrape each worker.
 */
export async function startMetricsServer(port: number, token: string, logger: Logger): Promise<Server> {
  collectRuntimeMetrics();
  const server = createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] !== '/metrics' || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    if (!hasMetricsToken(req.headers, token)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
      return;
    }
    const { registry } = processMetrics();
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  logger.info({ port }, 'worker metrics listening');
  return server;
}
