/**
 * What this process measures about itself, for Prometheus: Node's runtime (memory, event-loop
 * lag, GC), HTTP answers by route and status (the web process), and jobs by queue and outcome
 * with the time from enqueue to done (the worker). One registry per process: `npm start` runs
 * web and workers in one process, so one scrape sees both.
 *
 * Labels are route patterns, queue names and fixed outcomes only: no ids, no store, no customer.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export type ProcessMetrics = {
  registry: Registry;
  httpSeconds: Histogram<'method' | 'route' | 'status'>;
  jobs: Counter<'queue' | 'outcome'>;
  jobSeconds: Histogram<'queue'>;
  vendorLimits: Counter<'vendor' | 'kind'>;
  jobsRecovered: Counter<'queue'>;
};

let metrics: ProcessMetrics | undefined;

/** The process's metrics, created on first use. Counting is cheap, so it is always on. */
export function processMetrics(): ProcessMetrics {
  if (metrics) return metrics;
  const registry = new Registry();
  metrics = {
    registry,
    httpSeconds: new Histogram({
      name: 'hsb_http_request_duration_seconds',
      help: 'Time to answer an HTTP request (webhook acks, API, dashboard), by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      // Webhook acks are milliseconds; API turns with a model take seconds.
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'hsb_jobs_total',
      help: 'Job runs by outcome: completed, retried (will run again), failed (for good) or waited (a database outage or vendor rate limit, no retry spent)',
      labelNames: ['queue', 'outcome'],
      registers: [registry],
    }),
    jobSeconds: new Histogram({
      name: 'hsb_job_duration_seconds',
      help: 'From enqueue to completion, waits and retries included: for inbound.process, a ticket from webhook to answered',
      labelNames: ['queue'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900],
      registers: [registry],
    }),
    vendorLimits: new Counter({
      name: 'hsb_vendor_rate_limits_total',
      help: 'Vendor API rate limits met: refused (the vendor answered 429) or reserve (the budget left for other apps was reached, calls held)',
      labelNames: ['vendor', 'kind'],
      registers: [registry],
    }),
    jobsRecovered: new Counter({
      name: 'hsb_jobs_recovered_total',
      help: 'Tickets, store webhooks and approvals whose job the queue had lost (Redis restarted without persistence, failed over or evicted keys), enqueued again',
      labelNames: ['queue'],
      registers: [registry],
    }),
  };
  return metrics;
}

let runtime = false;

/**
 * Node's runtime metrics (memory, CPU, event-loop lag, GC), only once metrics are served: the lag
 * monitor wakes the process every 10 ms, which an install that is not scraped should not pay.
 */
export function collectRuntimeMetrics(): void {
  if (runtime) return;
  runtime = true;
  collectDefaultMetrics({ register: processMetrics().registry, prefix: 'hsb_' });
}
