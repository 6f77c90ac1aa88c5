import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, spawnTs, waitForStatus } from '../helpers/process.js';
import { TEST_REDIS_URL } from '../helpers/context.js';

const BOOTSTRAP_API_KEY = 'e2e-bootstrap-key-1234567890';

// `npm start` as a user runs it: no database server configured (embedded PGlite on disk).
describe('npm start (src/main.ts) on a fresh data directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hsb-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const env = async () => ({
    PORT: String(await freePort()),
    DATA_DIR: join(dataDir, 'pglite'),
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `e2e-${process.pid}`,
    BOOTSTRAP_API_KEY,
  });

  it('answers /health within 60 s, serves the demo store, keeps data across a restart and stops on SIGTERM', async () => {
    const e1 = await env();
    const first = spawnTs('src/main.ts', e1);
    try {
      // A first start creates the embedded database (about 10 s of WASM initdb) and loads TypeScript
      // through tsx (about 6 s): 21 s alone on a slow 2-vCPU host, more beside other test files.
      await waitForStatus(`http://127.0.0.1:${e1.PORT}/health`, 200, 60_000);
      const store = await fetch(`http://127.0.0.1:${e1.PORT}/api/v1/stores/demo`, {
        headers: { authorization: `Bearer ${BOOTSTRAP_API_KEY}` },
      });
      expect(store.status).toBe(200);
      expect(((await store.json()) as { slug: string }).slug).toBe('demo');
    } finally {
      first.child.kill('SIGTERM');
    }
    expect(await first.exited).toBe(0);

    // Same data directory: the demo store is still there and nothing is loaded twice.
    const e2 = await env();
    const second = spawnTs('src/main.ts', { ...e2, BOOTSTRAP_API_KEY: '' });
    try {
      await waitForStatus(`http://127.0.0.1:${e2.PORT}/health`, 200, 60_000);
      const store = await fetch(`http://127.0.0.1:${e2.PORT}/api/v1/stores/demo`, {
        headers: { authorization: `Bearer ${BOOTSTRAP_API_KEY}` },
      });
      expect(store.status).toBe(200); // the key saved by the first run survived
      expect(second.output()).not.toContain('Demo store API key');
    } finally {
      second.child.kill('SIGTERM');
    }
    expect(await second.exited).toBe(0);
  }, 150_000);

  it('exits with a clear error naming REDIS_URL when Redis does not answer', async () => {
    const e = await env();
    const run = spawnTs('src/main.ts', { ...e, DATA_DIR: join(dataDir, 'other'), REDIS_URL: 'redis://127.0.0.1:1' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('REDIS_URL');
  }, 30_000);

  it('exits listing every configuration problem', async () => {
    const run = spawnTs('src/main.ts', { PORT: 'x', REDIS_URL: 'nope', LOG_LEVEL: 'loud' });
    expect(await run.exited).toBe(1);
    const out = run.output();
    for (const name of ['PORT', 'REDIS_URL', 'LOG_LEVEL']) expect(out).toContain(name);
  }, 30_000);
});
