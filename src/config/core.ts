import { z } from 'zod';
import { boolEnv, intEnv, optionalString, urlEnv } from './env-helpers.js';

/** Process, database, queue and security settings. */
export const coreEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: intEnv(3000, 0, 65535),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Public base URL of this service (used in OAuth redirects and webhook URLs shown to users). */
  PUBLIC_URL: urlEnv(),
  /** Postgres server. Unset → embedded PGlite under DATA_DIR. */
  DATABASE_URL: optionalString().pipe(
    z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
  ),
  DATABASE_POOL_MAX: intEnv(20, 1, 500),
  /**
   * Server-side prepared statements for the per-ticket queries (Postgres server only). Turn off
   * behind a pooler that cannot keep them (PgBouncer in transaction mode before 1.21).
   */
  DATABASE_PREPARED_STATEMENTS: boolEnv(true),
  /** Where embedded data lives (PGlite files, a generated development encryption key). */
  DATA_DIR: z.string().default('./data/pglite'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .default('redis://127.0.0.1:6379'),
  /** Prefix of every BullMQ key; lets several installs (or test runs) share one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only').default('hsb'),
  /** Jobs a worker process runs at once: mostly waiting on the helpdesk, the store and the model. */
  WORKER_CONCURRENCY: intEnv(64, 1, 1000),
  /** How long a worker holds a job's lock; a crashed worker's jobs run again after about this long. */
  JOB_LOCK_MS: intEnv(30_000, 1000, 600_000),
  /** A pending event older than this whose job Redis no longer holds gets its job again (workers check). */
  LOST_JOB_RECOVERY_AFTER_S: intEnv(300, 1, 86_400),
  /**
   * A customer message followed by a newer one is left to the newer one's job (one reply answers
   * both). When the newer message's webhook has not come this long after it was written, the
   * older message's job answers both itself: a lost webhook must not leave the customer unanswered.
   */
  NEWER_WEBHOOK_WAIT_S: intEnv(120, 1, 86_400),
  /** Largest JSON/webhook body accepted, in bytes (413 above). */
  BODY_LIMIT_BYTES: intEnv(1_048_576, 1024, 50 * 1_048_576),
  /** 32-byte key (64 hex chars or base64) for AES-256-GCM encryption of stored credentials. */
  ENCRYPTION_KEY: optionalString().pipe(
    z
      .string()
      .refine(
        (v) => /^[0-9a-fA-F]{64}$/.test(v) || Buffer.from(v, 'base64').length === 32,
        'must be 32 bytes: 64 hex characters or base64',
      )
      .optional(),
  ),
  /** Makes this exact string a valid admin API key for the demo store (trials, automated checks). */
  BOOTSTRAP_API_KEY: optionalString().pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** Create and load the demo store on an empty database. */
  DEMO_STORE: boolEnv(true),
  /** Requests per minute per API key. */
  API_RATE_LIMIT_PER_MIN: intEnv(600, 1, 1_000_000),
  /** Bearer token for `GET /metrics` (Prometheus). Unset: /metrics answers 404. */
  METRICS_TOKEN: optionalString().pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** Worker processes (`npm run start:worker`): serve their own /metrics on this port (needs METRICS_TOKEN). */
  METRICS_PORT: optionalString().pipe(z.string().regex(/^\d+$/, 'must be a port number').transform(Number).pipe(z.number().int().min(1).max(65535)).optional()),
  /** Seconds a graceful shutdown waits for in-flight jobs before giving up. */
  SHUTDOWN_TIMEOUT_S: intEnv(25, 1, 600),
});
