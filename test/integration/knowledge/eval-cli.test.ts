import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('npm run eval:retrieval (the public CLI contract)', () => {
  it('runs from a fresh clone with no database, writes and prints the report, and meets recall@3 >= 0.9 with full-text alone', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'eval-retrieval-')), 'nested', 'report.json');
    const env = { ...process.env, LOG_LEVEL: 'warn' } as Record<string, string | undefined>;
    for (const name of ['DATABASE_URL', 'EMBEDDINGS_MODEL', 'OPENAI_API_KEY', 'OPENAI_BASE_URL']) delete env[name];
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/eval-retrieval.ts', '--dataset', 'data/eval/retrieval.jsonl', '--report', out],
      { env, timeout: 90_000 },
    );
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(Object.keys(report).sort()).toEqual(['mrr', 'n', 'recall_at_1', 'recall_at_3']);
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual(report);
    expect(report.n).toBeGreaterThanOrEqual(40);
    expect(report.recall_at_3).toBeGreaterThanOrEqual(0.9);
    expect(report.mrr).toBeGreaterThan(0);
  }, 120_000);

  it('exits 2 with a usage message when an argument is missing', async () => {
    const err = await run(process.execPath, ['--import', 'tsx', 'src/cli/eval-retrieval.ts', '--dataset', 'x.jsonl']).catch((e: unknown) => e);
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr).toContain('--report');
  });
});
