import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { isDatabaseUnavailable } from '../src/db/unavailable.js';
import { PermanentError, RateLimitedError, RetryableError, WaitError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import { processMetrics } from '../src/metrics/process-metrics.js';
import { queueNameFor, type JobCatalog } from './catalog.js';

export type JobHandler<S extends z.ZodType> = (data: z.infer<S>, job: Job) => Promise<unknown>;
export type Handlers<C extends JobCatalog> = { [N in keyof C]?: JobHandler<C[N]['schema']> };

export type StartWorkersOptions = {
  prefix: string;
  logger: Logger;
  /** Overrides each entry's concurrency (e.g. WORKER_CONCURRENCY for the pipeline). */
  concurrency?: Partial<Record<string, number>>;
  /** Job lock and stalled-job check interval (JOB_LOCK_MS); BullMQ's default is 30 s. */
  lockMs?: number;
  /** First wait after a database outage; doubles per outage retry up to a minute. @defaultValue 2000 */
  outageRetryMs?: number;
};

/**
 * Exponential backoff with jitter, except when the error carries the vendor's Retry-After:
 * then wait exactly that long (plus a little), so a 429 is waited out, not hammered.
 */
export function backoffDelay(attemptsMade: number, baseMs: number, err?: Error): number {
  if (err instanceof RetryableError && err.retryAfterMs !== undefined) {
    return err.retryAfterMs + Math.floor(Math.random() * 250);
  }
  const exp = baseMs * 2 ** Math.max(0, attemptsMade - 1);
  return Math.min(exp, 10 * 60_000) * (0.8 + Math.random() * 0.4);
}

/**
 * While the database is unreachable a job waits without spending an attempt: the outage says
 * nothing about the job, and a failover or restart that outlasts the backoff budget (about two
 * minutes for the pipeline) would otherwise turn every ticket in flight into a dead letter.
 * Waits double from `baseMs` per outage retry (attempts started but not spent), up to a minute.
 */
export function outageDelay(job: Pick<Job, 'attemptsStarted' | 'attemptsMade'>, baseMs: number): number {
  const waited = Math.max(0, job.attemptsStarted - job.attemptsMade - 1);
  return Math.min(baseMs * 2 ** waited, 60_000) * (0.8 + Math.random() * 0.4);
}

/**
 * How long a job keeps waiting out vendor rate limits without spending retries. A limit is a
 * queue at the vendor: a burst of tickets over a small plan's budget (Gorgias allows an API key 2
 * calls a second) must be answered late, not turned into dead letters after eight 429s. A limit
 * that lasts a day is not a limit any more, and retries count again.
 */
export const RATE_LIMIT_PATIENCE_MS = 24 * 3600_000;

/** Whether the job waits this error out without spending a retry: a rate limit, within the patience. */
export function waitsOutRateLimit(err: unknown, job: Pick<Job, 'timestamp'>, nowMs = Date.now()): err is RateLimitedError {
  return err instanceof RateLimitedError && nowMs - job.timestamp <= RATE_LIMIT_PATIENCE_MS;
}

/**
 * The wait before a rate-limited job runs again, or null when it should spend a retry instead (it
 * has waited past the patience). The vendor's Retry-After, else doubling from 1 s up to a minute;
 * plus a spread, because every job held back by one limit would otherwise return in one instant.
 */
export function rateLimitDelay(
  err: unknown,
  job: Pick<Job, 'timestamp' | 'attemptsStarted' | 'attemptsMade'>,
  nowMs = Date.now(),
): number | null {
  if (!waitsOutRateLimit(err, job, nowMs)) return null;
  const waited = Math.max(0, job.attemptsStarted - job.attemptsMade - 1);
  const base = err.retryAfterMs ?? Math.min(1000 * 2 ** waited, 60_000);
  return base + Math.random() * Math.min(Math.max(250, base / 4), 30_000);
}

/**
 * When a failed run is not the job's fault, how long it waits before running again without
 * spending an attempt: the database is down, it waits for a webhook on its way (WaitError), or the
 * vendor's rate limit holds it back. Null: the failure spends an attempt as usual.
 */
function waitBeforeRetry(
  err: unknown,
  job: Job,
  outageRetryMs: number,
): { delayMs: number; why: string; level: 'warn' | 'info' } | null {
  if (isDatabaseUnavailable(err)) return { delayMs: outageDelay(job, outageRetryMs), why: 'database unavailable', level: 'warn' };
  if (err instanceof WaitError) return { delayMs: err.delayMs, why: 'on hold', level: 'info' };
  const rateLimitedMs = rateLimitDelay(err, job);
  return rateLimitedMs === null ? null : { delayMs: rateLimitedMs, why: 'vendor rate limit', level: 'info' };
}

/** One Worker per catalog entry that has a handler. Payloads are validated before handling. */
export function startWorkers<C extends JobCatalog>(
  catalog: C,
  handlers: Handlers<C>,
  connection: Redis,
  opts: StartWorkersOptions,
): Worker[] {
  const workers: Worker[] = [];
  for (const [name, handler] of Object.entries(handlers) as [string, JobHandler<z.ZodType>][]) {
    if (!handler) continue;
    const spec = catalog[name];
    if (!spec) throw new Error(`no catalog entry for handler "${name}"`);
    const log = opts.logger.child({ component: 'worker', queue: name });
    const { jobs, jobSeconds } = processMetrics();
    const worker = new Worker(
      queueNameFor(name),
      async (job, token) => {
        const parsed = spec.schema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.message}`);
        try {
          return await handler(parsed.data, job);
        } catch (err) {
          if (err instanceof PermanentError) throw new UnrecoverableError(err.message);
          const wait = token ? waitBeforeRetry(err, job, opts.outageRetryMs ?? 2000) : null;
          if (token && wait) {
            const delayMs = Math.round(wait.delayMs);
            log[wait.level]({ jobId: job.id, err: (err as Error).message, delayMs }, `${wait.why}; job waits without spending an attempt`);
            await job.moveToDelayed(Date.now() + delayMs, token);
            jobs.inc({ queue: name, outcome: 'waited' });
            throw new DelayedError();
          }
          throw err;
        }
      },
      {
        connection,
        prefix: opts.prefix,
        concurrency: opts.concurrency?.[name] ?? spec.concurrency,
        ...(opts.lockMs ? { lockDuration: opts.lockMs, stalledInterval: opts.lockMs } : {}),
        settings: {
          backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
            backoffDelay(attemptsMade, spec.backoffMs, err),
        },
      },
    );
    worker.on('completed', (job) => {
      jobs.inc({ queue: name, outcome: 'completed' });
      // job.timestamp is when it was enqueued: waits in the queue and retries count too.
      jobSeconds.observe({ queue: name }, Math.max(0, (job.finishedOn ?? Date.now()) - job.timestamp) / 1000);
    });
    worker.on('failed', (job, err) => {
      const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError';
      jobs.inc({ queue: name, outcome: final ? 'failed' : 'retried' });
      log[final ? 'error' : 'warn'](
        { jobId: job?.id, attempt: job?.attemptsMade, err: err.message, final },
        final ? 'job failed for good' : 'job failed, will retry',
      );
    });
    worker.on('error', (err) => log.error({ err: err.message }, 'worker error'));
    workers.push(worker);
  }
  return workers;
}
