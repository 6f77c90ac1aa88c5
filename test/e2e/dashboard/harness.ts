import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'bullmq';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { jobCatalog } from '../../../jobs/catalog.js';
import { buildHandlers } from '../../../jobs/handlers/index.js';
import { startWorkers } from '../../../jobs/workers.js';
import type { AppContext } from '../../../src/app/context.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { connectRedis, createRedis } from '../../../src/infra/redis.js';
import { repoRoot } from '../../../src/paths.js';
import { generateApiKey, saveApiKey } from '../../../src/security/api-keys.js';
import type { Store } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { loadDemoStore } from '../../helpers/stores.js';

/**
 * The whole product for browser tests: the real web app (API + dashboard build) on a free
 * loopback port, the real job workers (approved drafts are delivered by a job), the demo store
 * with an admin key, and Debian's chromium driven by playwright-core.
 */

const ROOT = repoRoot();
const DIST = join(ROOT, 'dashboard', 'dist');
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'dashboard');

/** The flags from the issue; the profile is a fresh temp dir per run. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dashboard/dist with vite's API when it is missing or older than the sources. */
export async function ensureDashboardBuilt(): Promise<void> {
  const index = join(DIST, 'index.html');
  const src = join(ROOT, 'dashboard');
  const sources = Math.max(newestMtime(join(src, 'src')), statSync(join(src, 'index.html')).mtimeMs, statSync(join(src, 'vite.config.ts')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const { build } = await import('vite');
  // Vitest runs with NODE_ENV=test, which would make React's development build: test what ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(src, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

export type DashboardEnv = {
  baseUrl: string;
  apiKey: string;
  store: Store;
  ctx: AppContext;
  browser: BrowserContext;
  page: Page;
  /** Calls the public API with the admin key (for setting up and checking what the UI did). */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  screenshot(name: string): Promise<void>;
  /** Uncaught page errors and console errors so far (a broken page should fail a test). */
  pageErrors: string[];
  close(): Promise<void>;
};

/** `config`: more environment for the app (e.g. a Zendesk connection to a stand-in). */
export async function startDashboardEnv(config: Record<string, string> = {}): Promise<DashboardEnv> {
  await ensureDashboardBuilt();
  const db: TestDb = await createTestDb();
  const ctx = await createTestContext(db, config);
  const store = await loadDemoStore(ctx.db);
  const apiKey = generateApiKey();
  await saveApiKey(ctx.db, { storeId: store.id, key: apiKey, name: 'dashboard e2e', permissions: ['admin'] });

  const workerRedis = createRedis(ctx.config.REDIS_URL, 'worker');
  await connectRedis(workerRedis, ctx.config.REDIS_URL);
  const workers: Worker[] = startWorkers(jobCatalog, buildHandlers(ctx), workerRedis, {
    prefix: ctx.config.QUEUE_PREFIX,
    logger: ctx.logger,
  });

  const app = createApp(ctx, routeModules(ctx));
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;

  const profile = mkdtempSync(join(tmpdir(), 'hsb-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
  });
  mkdirSync(ARTIFACTS, { recursive: true });

  return {
    baseUrl,
    apiKey,
    store,
    ctx,
    browser,
    page,
    pageErrors,
    async api<T>(method: string, path: string, body?: unknown) {
      const res = await fetch(`${baseUrl}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
    },
    async screenshot(name: string) {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.all(workers.map((w) => w.close()));
      workerRedis.disconnect();
      await ctx.close();
      await db.close();
    },
  };
}
