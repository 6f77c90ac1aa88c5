/**
 * The state of the whole install, read at scrape time from what every process shares (the queue
 * in Redis, the deliveries in the database), so it is the same whichever web process answers
 * and however many workers run: jobs per queue and state, deliveries not finished by status,
 * the age of the oldest one waiting, and whether each dependency answered.
 */
import { Gauge, Registry } from 'prom-client';
import type { AppContext } from '../app/context.js';
import { jobCatalog } from '../../jobs/catalog.js';
import { PENDING_STATUSES, UNFINISHED_STATUSES } from '../ingest/statuses.js';

const JOB_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;

export type BacklogMetrics = { registry: Registry; refresh(): Promise<void> };

/** Gauges filled by refresh() (called before each scrape is rendered). */
export function backlogMetrics(ctx: Pick<AppContext, 'db' | 'queues'>): BacklogMetrics {
  const registry = new Registry();
  const up = new Gauge({
    name: 'hsb_dependency_up',
    help: '1 when the dependency answered this scrape, else 0',
    labelNames: ['dependency'],
    registers: [registry],
  });
  const jobs = new Gauge({
    name: 'hsb_queue_jobs',
    help: 'Jobs in the queue by state (waiting to run, running, delayed for a retry, failed for good)',
    labelNames: ['queue', 'state'],
    registers: [registry],
  });
  const events = new Gauge({
    name: 'hsb_inbound_events',
    help: 'Deliveries (webhooks, emails, Shopify events) not finished, by status; dead ones need a person (Deliveries page)',
    labelNames: ['status'],
    registers: [registry],
  });
  const oldest = new Gauge({
    name: 'hsb_inbound_oldest_pending_seconds',
    help: 'Age of the oldest delivery received but not answered or given up yet (0 when none): tickets waiting on the bot',
    registers: [registry],
  });

  const readQueues = async () => {
    jobs.reset();
    try {
      for (const name of Object.keys(jobCatalog) as (keyof typeof jobCatalog)[]) {
        const counts = await ctx.queues.queue(name).getJobCounts(...JOB_STATES);
        for (const state of JOB_STATES) jobs.set({ queue: name, state }, counts[state] ?? 0);
      }
      up.set({ dependency: 'redis' }, 1);
    } catch {
      up.set({ dependency: 'redis' }, 0);
    }
  };
  const readEvents = async () => {
    events.reset();
    oldest.reset();
    try {
      const [counts, age] = await Promise.all([
        ctx.db('inbound_events').whereIn('status', UNFINISHED_STATUSES).groupBy('status').select('status').count({ n: '*' }),
        ctx.db('inbound_events').whereIn('status', PENDING_STATUSES).min({ at: 'received_at' }).first(),
      ]);
      for (const status of UNFINISHED_STATUSES) events.set({ status }, 0);
      for (const row of counts as unknown as { status: string; n: string | number }[]) events.set({ status: row.status }, Number(row.n));
      const at = age?.at ? new Date(age.at as string | Date).getTime() : null;
      oldest.set(at === null ? 0 : Math.max(0, (Date.now() - at) / 1000));
      up.set({ dependency: 'database' }, 1);
    } catch {
      up.set({ dependency: 'database' }, 0);
    }
  };
  return { registry, refresh: async () => void (await Promise.all([readQueues(), readEvents()])) };
}
