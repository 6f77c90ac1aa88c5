/**
 * The product as deployed, for failure tests: real processes (bench/app.ts), the Zendesk stand-in
 * recording every comment, signed webhooks, and a private database. With TEST_DATABASE_URL the
 * web and the worker run as separate processes on the Postgres server; without it, `npm start`'s
 * single process on embedded PGlite in a temp dir (PGlite serves one process only).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { expect } from 'vitest';
import { Redis } from 'ioredis';
import { startApp, WEBHOOK_SECRET, type RunningApp } from '../../bench/app.js';
import { prepareDatabase, type BenchDatabase } from '../../bench/database.js';
import { createSender, zendeskSignatureHeaders, type Ack } from '../../bench/driver.js';
import { startHelpdeskStandin, type HelpdeskStandin, type StandinTicket } from '../../bench/helpdesk-standin.js';
import { benchTicket, cancelTicket, triggerBody } from '../../bench/tickets.js';
import { connectDb } from '../../src/db/connect.js';
import { TEST_REDIS_URL } from '../helpers/context.js';

export type HarnessOptions = {
  redisUrl?: string;
  settings?: Record<string, unknown>;
  extraEnv?: Record<string, string>;
  workerConcurrency?: number;
  /** Rewrites the app processes' DATABASE_URL (e.g. through a proxy the test can cut). */
  mapDatabaseUrl?: (url: string) => string;
};

export type Harness = {
  app: RunningApp;
  helpdesk: HelpdeskStandin;
  database: BenchDatabase;
  mode: 'single' | 'split';
  queuePrefix: string;
  /** Posts the ticket's signed webhook once. */
  post(t: StandinTicket): Promise<Ack>;
  /** Posts every ticket's webhook at once and checks each was accepted (202). */
  postAllAccepted(tickets: StandinTicket[]): Promise<void>;
  /** The process that runs the jobs: the worker (split), or `npm start`'s one process (single). */
  jobProcess(): RunningApp['web'];
  /** Posts until accepted (202/200), like the vendor retrying 5xx; returns every status seen. */
  deliver(t: StandinTicket, opts?: { retryEveryMs?: number; timeoutMs?: number }): Promise<number[]>;
  /** Resolves when every ticket has at least one comment from the bot. */
  waitForReplies(tickets: StandinTicket[], timeoutMs: number): Promise<void>;
  /** Resolves when the inbound queue has nothing waiting, active or delayed. */
  waitForDrain(timeoutMs: number): Promise<void>;
  /** Reads the run's database (PGlite: only once the app is stopped). */
  withDb<T>(fn: (db: Knex) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

/** Every intent answered automatically, store actions included (cancellations refund in full). */
export const AUTO_WITH_ACTIONS = {
  modes: { default: 'auto' },
  auto_refund_limit: 1_000_000,
  high_value_threshold: 1_000_000,
  max_actions_per_customer_per_day: 100,
};

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'hsb-failure-'));
  const helpdesk = await startHelpdeskStandin();
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const database = await prepareDatabase({ databaseUrl, tmpDir: dir });
  const mode = databaseUrl ? 'split' : 'single';
  const queuePrefix = `failure-${Math.random().toString(36).slice(2, 10)}`;
  let app: RunningApp;
  try {
    app = await startApp({
      mode,
      workers: 1,
      databaseEnv:
        opts.mapDatabaseUrl && database.env.DATABASE_URL
          ? { ...database.env, DATABASE_URL: opts.mapDatabaseUrl(database.env.DATABASE_URL) }
          : database.env,
      redisUrl: opts.redisUrl ?? TEST_REDIS_URL,
      queuePrefix,
      helpdeskUrl: helpdesk.url,
      workerConcurrency: opts.workerConcurrency ?? 8,
      logLevel: 'warn',
      dir,
      settings: opts.settings ?? AUTO_WITH_ACTIONS,
      // Short job locks: a job cut off by a crash or a Redis outage is picked up again within
      // seconds, so the tests stay bounded (production keeps BullMQ's 30 s).
      extraEnv: { JOB_LOCK_MS: '5000', ...opts.extraEnv },
    });
  } catch (err) {
    await helpdesk.close();
    await database.drop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const sender = createSender(app.webUrl, 64);
  const post = (t: StandinTicket) => {
    helpdesk.addTicket(t);
    const body = triggerBody(t);
    return sender.post({ path: '/webhooks/zendesk?store=demo', body, headers: zendeskSignatureHeaders(WEBHOOK_SECRET, body) }, 10_000);
  };

  const h: Harness = {
    app,
    helpdesk,
    database,
    mode,
    queuePrefix,
    post,
    async postAllAccepted(tickets) {
      const acks = await Promise.all(tickets.map((t) => post(t)));
      expect(acks.map((a) => a.status)).toEqual(tickets.map(() => 202));
    },
    jobProcess: () => (mode === 'split' ? app.workers[0]! : app.web),
    async deliver(t, o = {}) {
      const statuses: number[] = [];
      const deadline = Date.now() + (o.timeoutMs ?? 30_000);
      for (;;) {
        const ack = await post(t).catch(() => ({ status: 0, ms: 0, body: '' }));
        statuses.push(ack.status);
        if (ack.status >= 200 && ack.status < 300) return statuses;
        if (ack.status >= 400 && ack.status < 500) throw new Error(`ticket ${t.id}: ${ack.status} ${ack.body}`);
        if (Date.now() > deadline) throw new Error(`ticket ${t.id} not accepted: ${statuses.join(',')}`);
        await new Promise((r) => setTimeout(r, o.retryEveryMs ?? 250));
      }
    },
    async waitForReplies(tickets, timeoutMs) {
      await until(() => tickets.every((t) => helpdesk.comments(t.id).length > 0), timeoutMs, () => {
        const missing = tickets.filter((t) => helpdesk.comments(t.id).length === 0).map((t) => t.id);
        return `no reply for ${missing.length} tickets (${missing.slice(0, 5).join(', ')}…)`;
      });
    },
    async waitForDrain(timeoutMs) {
      let pending = -1;
      await until(
        async () => (pending = await app.pendingJobs().catch(() => -1)) === 0,
        timeoutMs,
        () => `${pending} jobs still pending`,
      );
    },
    async withDb(fn) {
      const handle =
        database.kind === 'postgres'
          ? await connectDb({ databaseUrl: database.env.DATABASE_URL, dataDir: '', poolMax: 2 })
          : await connectDb({ dataDir: database.env.DATA_DIR! });
      try {
        return await fn(handle.knex);
      } finally {
        await handle.close();
      }
    },
    async close() {
      sender.close();
      await app.stop().catch(() => {});
      await helpdesk.close();
      await database.drop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, why: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${why()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * After a worker is SIGKILLed, BullMQ gives its jobs back once their locks expire (30 s) and a
 * stalled-jobs check that runs every 30 s has seen them twice, so recovery takes 30–60 s. The
 * test fast-forwards that clock instead of sleeping through it: it does what the passing time
 * would (the dead worker's locks expire, the check becomes due and has marked the active jobs).
 * The restarted worker then recovers them through BullMQ's own stalled-job check.
 */
export async function fastForwardLockExpiry(redisUrl: string, queuePrefix: string, queue = 'inbound-process'): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const key = (k: string) => `${queuePrefix}:${queue}:${k}`;
    const active = await redis.lrange(key('active'), 0, -1);
    for (const id of active) await redis.del(key(`${id}:lock`));
    if (active.length) await redis.sadd(key('stalled'), ...active);
    await redis.del(key('stalled-check'));
    return active.length;
  } finally {
    redis.disconnect();
  }
}

/** `n` tickets; every fourth asks to cancel a pending order (a store action), the rest where it is. */
export function ticketsWithCancels(n: number, base: number, cancelBase: number): { tickets: StandinTicket[]; cancels: StandinTicket[] } {
  const tickets: StandinTicket[] = [];
  const cancels: StandinTicket[] = [];
  for (let i = 0; i < n; i++) {
    const t = i % 4 === 0 ? cancelTicket(i / 4, cancelBase) : benchTicket(i, base);
    tickets.push(t);
    if (i % 4 === 0) cancels.push(t);
  }
  return { tickets, cancels };
}

/** How a run ended: inbound events and external writes, counted by status. */
export async function endStates(db: Knex): Promise<{ events: unknown[]; writes: unknown[] }> {
  return {
    events: await db('inbound_events').select('status').count({ n: '*' }).groupBy('status'),
    writes: await db('external_writes').select('status').count({ n: '*' }).groupBy('status'),
  };
}

/** Every ticket processed and every reply sent, each exactly once. */
export const answeredOnce = (n: number) => ({ events: [{ status: 'processed', n }], writes: [{ status: 'sent', n }] });

/** Polls (every 25 ms) until the condition holds, e.g. until some tickets are answered mid-batch. */
export async function waitUntil(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
