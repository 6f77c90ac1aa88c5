import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../src/paths.js';
import { TEST_REDIS_URL } from '../../helpers/context.js';

// `npm run bench` as DESIGN.md states it (the command acceptance checks run), on a small load:
// the real app processes on embedded PGlite, the real Redis, the Zendesk stand-in.
const dir = mkdtempSync(join(tmpdir(), 'hsb-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench', () => {
  it('answers every ticket once and writes the report with the contract fields', async () => {
    const report = join(dir, 'report.json');
    // Embedded PGlite, also in the suite run against a Postgres server.
    const { DATABASE_URL: _server, ...env } = process.env;
    const { stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bench.ts', '--tickets', '40', '--concurrency', '10', '--warmup', '0', '--report', report],
      { cwd: repoRoot(), env: { ...env, REDIS_URL: TEST_REDIS_URL }, timeout: 120_000 },
    );
    const r = JSON.parse(readFileSync(report, 'utf8'));
    expect(r).toMatchObject({ tickets: 40, duplicates: 0, lost: 0, database: 'pglite', public_replies: 40, queue_drained: true });
    expect(r.tickets_per_s).toBeGreaterThan(0);
    for (const k of ['p50', 'p99']) expect(r.ack_ms[k]).toBeGreaterThan(0);
    for (const k of ['p50', 'p95', 'p99']) expect(r.e2e_ms[k]).toBeGreaterThanOrEqual(r.ack_ms.p50);
    expect(r.peak_rss_mb).toBeGreaterThan(50);
    expect(stderr).toMatch(/report written to/);
  }, 150_000);
});
