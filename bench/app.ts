/**
 * Runs the product as it is deployed, for the bench and the failure tests: `src/main.ts` (one
 * process: web + worker) or `src/cli/migrate.ts` then `src/web.ts` + N × `src/worker.ts`, with the
 * demo store pointed at the Zendesk stand-in (ZENDESK_BASE_URL) and set to answer automatically.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { BOT_USER_ID } from './helpdesk-standin.js';
import { freePort, spawnApp, waitForHttp, type AppProcess } from './processes.js';

export const WEBHOOK_SECRET = 'bench-webhook-secret';
export const ZENDESK_SUBDOMAIN = 'bench';

export type AppOptions = {
  mode: 'single' | 'split';
  workers: number;
  /** DATABASE_URL or DATA_DIR (see bench/database.ts). */
  databaseEnv: Record<string, string>;
  redisUrl: string;
  queuePrefix: string;
  helpdeskUrl: string;
  /** OpenAI-compatible base URL (…/v1); unset → the local engine. */
  openaiUrl?: string;
  workerConcurrency: number;
  logLevel: string;
  /** Logs (and PGlite files, via databaseEnv) go here. */
  dir: string;
  cpuProfDir?: string;
  extraEnv?: Record<string, string>;
  /** Store settings PATCHed onto the demo store once it is up. */
  settings?: Record<string, unknown>;
};

export type RunningApp = {
  webUrl: string;
  redisUrl: string;
  apiKey: string;
  /** The process serving HTTP (main in single mode). */
  web: AppProcess;
  /** Worker processes (in single mode: the same process as `web`). */
  workers: AppProcess[];
  processes(): AppProcess[];
  /** Starts one more worker process (split) or restarts main (single); waits until it is ready. */
  startWorker(): Promise<AppProcess>;
  /** Jobs not finished yet in the inbound queue (waiting, active, delayed, prioritized). */
  pendingJobs(): Promise<number>;
  /** Jobs of the inbound queue by state, finished ones included. */
  jobCounts(): Promise<Record<string, number>>;
  /** Worker processes connected to the inbound queue. */
  workerCount(): Promise<number>;
  stop(): Promise<void>;
};

/** Automatic public replies for every intent (bench: each ticket should get one public reply). */
export const AUTO_SETTINGS = { modes: { default: 'auto' } };

export async function startApp(o: AppOptions): Promise<RunningApp> {
  const port = await freePort();
  const apiKey = `bench-${randomBytes(12).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: o.logLevel,
    REDIS_URL: o.redisUrl,
    QUEUE_PREFIX: o.queuePrefix,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    BOOTSTRAP_API_KEY: apiKey,
    DEMO_STORE: 'true',
    WORKER_CONCURRENCY: String(o.workerConcurrency),
    SHUTDOWN_TIMEOUT_S: '10',
    API_RATE_LIMIT_PER_MIN: '100000',
    ZENDESK_SUBDOMAIN,
    ZENDESK_EMAIL: 'bot@bench.example',
    ZENDESK_API_TOKEN: 'bench-token',
    ZENDESK_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ZENDESK_BOT_USER_ID: BOT_USER_ID,
    ZENDESK_BASE_URL: o.helpdeskUrl,
    ...o.databaseEnv,
    ...(o.openaiUrl ? { OPENAI_API_KEY: 'sk-bench-standin', OPENAI_BASE_URL: o.openaiUrl } : {}),
    ...o.extraEnv,
  };
  const nodeArgs = (name: string) => (o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : []);
  const log = (name: string) => join(o.dir, `${name}.log`);
  const webUrl = `http://127.0.0.1:${port}`;
  const redis = new Redis(o.redisUrl, { maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  const queue = new Queue('inbound-process', { connection: redis, prefix: o.queuePrefix });
  queue.on('error', () => {});

  let web: AppProcess;
  const workers: AppProcess[] = [];
  let n = 0;
  const spawnWorker = () => spawnApp(`worker-${++n}`, 'src/worker.ts', env, log(`worker-${n}`), nodeArgs(`worker-${n}`));

  if (o.mode === 'single') {
    web = spawnApp('main', 'src/main.ts', env, log('main'), nodeArgs('main'));
    workers.push(web);
  } else {
    const migrate = spawnApp('migrate', 'src/cli/migrate.ts', env, log('migrate'));
    const code = await migrate.exited;
    if (code !== 0) throw new Error(`migrate exited with ${code}; see ${migrate.logFile}`);
    web = spawnApp('web', 'src/web.ts', env, log('web'), nodeArgs('web'));
    for (let i = 0; i < o.workers; i++) workers.push(spawnWorker());
  }

  const workerCount = async () => (await queue.getWorkers()).length;
  // `starting`: the processes expected to come up; one stopped earlier (exit code set) is not a failure.
  const waitForWorkers = async (count: number, timeoutMs: number, starting: AppProcess[] = workers) => {
    const deadline = Date.now() + timeoutMs;
    while ((await workerCount().catch(() => 0)) < count) {
      for (const w of starting) if (w.child.exitCode !== null) throw new Error(`${w.name} exited; see ${w.logFile}`);
      if (Date.now() > deadline) throw new Error(`workers not connected within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 150));
    }
  };

  const app: RunningApp = {
    webUrl,
    redisUrl: o.redisUrl,
    apiKey,
    get web() {
      return web;
    },
    workers,
    processes: () => (o.mode === 'single' ? [web] : [web, ...workers]),
    async startWorker() {
      const alive = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null).length;
      if (o.mode === 'single') {
        web = spawnApp(`main-${++n}`, 'src/main.ts', env, log(`main-${n}`), nodeArgs(`main-${n}`));
        workers.length = 0;
        workers.push(web);
        await waitForHttp(`${webUrl}/health`, 200, 60_000, web);
        await waitForWorkers(1, 30_000);
        return web;
      }
      const w = spawnWorker();
      workers.push(w);
      await waitForWorkers(alive + 1, 60_000, [w]);
      return w;
    },
    async pendingJobs() {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      return Object.values(c).reduce((s, v) => s + v, 0);
    },
    jobCounts: () => queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'),
    workerCount,
    async stop() {
      await Promise.all(app.processes().map((p) => p.stop()));
      await queue.close().catch(() => {});
      await deleteKeys(redis, `${o.queuePrefix}:*`).catch(() => {});
      redis.disconnect();
    },
  };

  try {
    await waitForHttp(`${webUrl}/health`, 200, 90_000, web);
    await waitForWorkers(o.mode === 'single' ? 1 : o.workers, 60_000);
    if (o.settings) await patchSettings(webUrl, apiKey, o.settings);
  } catch (err) {
    await app.stop().catch(() => {});
    throw err;
  }
  return app;
}

async function patchSettings(webUrl: string, apiKey: string, settings: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${webUrl}/api/v1/stores/demo`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ settings }),
  });
  if (!res.ok) throw new Error(`PATCH /api/v1/stores/demo answered ${res.status}: ${await res.text()}`);
}

/** Removes a run's BullMQ keys (its unique QUEUE_PREFIX) from a Redis shared with others. */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}
