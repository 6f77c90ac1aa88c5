import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../src/paths.js';

const run = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/bench.ts', ...args], {
      cwd: repoRoot(),
      // No Redis URL on purpose: neither call may get as far as starting a run.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', REDIS_URL: 'redis://127.0.0.1:1' },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

describe('npm run bench arguments', () => {
  it('--help prints every option and exits without starting a run', async () => {
    const { code, stdout, stderr } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/usage: npm run bench -- --tickets N --concurrency C --report OUT.json/);
    for (const option of ['--mode', '--workers', '--database-url', '--openai-delay-ms', '--helpdesk-delay-ms', '--rate', '--cpu-prof']) {
      expect(stdout).toContain(option);
    }
    expect(stderr).not.toMatch(/starting/);
  });

  it('refuses a helpdesk round trip that is not a duration, naming the option', async () => {
    const { code, stderr } = await run(['--helpdesk-delay-ms', '-5', '--tickets', '10']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--helpdesk-delay-ms must be in \[0, 10000\]/);
  });

  it('a misspelt option exits 2 naming it, instead of running 2,000 tickets with defaults', async () => {
    const { code, stderr } = await run(['--ticket', '50', '--concurrency', '5']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown option --ticket/);
    expect(stderr).not.toMatch(/starting/);
  });
});
