/** `npm run bench` options (see src/cli/bench.ts for the usage text). */
import { ArgsError, type ParsedArgs } from '../src/cli/args.js';

export type BenchOptions = {
  /** Closed loop: this many tickets, `concurrency` webhooks in flight. */
  tickets: number;
  concurrency: number;
  report: string;
  /** single: `src/main.ts` (web + worker in one process); split: `src/web.ts` + `workers` × `src/worker.ts`. */
  mode: 'single' | 'split';
  workers: number;
  /** Postgres server; unset → embedded PGlite in a temp dir (single mode only). */
  databaseUrl?: string;
  /** Puts an OpenAI-compatible stand-in with this delay per call in front of the OpenAI engine. */
  openaiDelayMs?: number;
  /** The helpdesk stand-in answers every call after this many ms (a real vendor's round trip). */
  helpdeskDelayMs: number;
  /** Open loop: `rate` webhooks per second for `durationS` seconds (instead of tickets/concurrency). */
  rate?: number;
  durationS?: number;
  /** How long to wait for replies after the last webhook, and for the queue to drain. */
  timeoutS: number;
  /** WORKER_CONCURRENCY of each worker process (inbound.process). */
  workerConcurrency: number;
  /** Unmeasured tickets sent first (JIT, lazy imports, connection pools): steady state is measured. */
  warmup: number;
  logLevel: string;
  redisUrl: string;
  /** Writes V8 CPU profiles of the app processes into this directory (node --cpu-prof). */
  cpuProfDir?: string;
  /** Keep the temp dir (app logs, PGlite files) after the run. */
  keep: boolean;
  /** Extra environment for the app processes (`--app-env A=1,B=2`), e.g. DATABASE_POOL_MAX. */
  appEnv: Record<string, string>;
};

/** Every option `npm run bench` accepts: anything else (a typo) is an error, not a run with defaults. */
export const BENCH_OPTIONS = [
  'tickets', 'concurrency', 'report', 'mode', 'workers', 'worker-concurrency', 'database-url',
  'openai-delay-ms', 'helpdesk-delay-ms', 'rate', 'duration-s', 'timeout-s', 'warmup', 'redis-url', 'log-level',
  'app-env', 'cpu-prof', 'keep', 'help',
] as const;

const positive = (name: string, v: number | undefined, fallback: number, max = 1_000_000): number => {
  const n = v ?? fallback;
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new ArgsError(`--${name} must be a number in (0, ${max}]`);
  return n;
};

export function benchOptions(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const mode = args.string('mode') ?? 'single';
  if (mode !== 'single' && mode !== 'split') throw new ArgsError('--mode must be single or split');
  const databaseUrl = args.string('database-url') ?? env.DATABASE_URL ?? undefined;
  if (mode === 'split' && !databaseUrl) {
    throw new ArgsError('--mode split needs --database-url (or DATABASE_URL): PGlite runs inside one process');
  }
  const rate = args.number('rate');
  const durationS = args.number('duration-s');
  if ((rate === undefined) !== (durationS === undefined)) throw new ArgsError('--rate and --duration-s go together');
  const openaiDelayMs = args.number('openai-delay-ms');
  if (openaiDelayMs !== undefined && (openaiDelayMs < 0 || openaiDelayMs > 60_000)) {
    throw new ArgsError('--openai-delay-ms must be in [0, 60000]');
  }
  const helpdeskDelayMs = args.number('helpdesk-delay-ms') ?? 0;
  if (!(helpdeskDelayMs >= 0 && helpdeskDelayMs <= 10_000)) throw new ArgsError('--helpdesk-delay-ms must be in [0, 10000]');
  return {
    tickets: Math.round(positive('tickets', args.number('tickets'), 2000)),
    concurrency: Math.round(positive('concurrency', args.number('concurrency'), 50, 5000)),
    report: args.string('report') ?? 'bench-report.json',
    mode,
    workers: Math.round(positive('workers', args.number('workers'), mode === 'split' ? 2 : 1, 16)),
    databaseUrl: databaseUrl || undefined,
    openaiDelayMs,
    helpdeskDelayMs,
    rate: rate === undefined ? undefined : positive('rate', rate, 1, 10_000),
    durationS: durationS === undefined ? undefined : positive('duration-s', durationS, 1, 3600),
    timeoutS: positive('timeout-s', args.number('timeout-s'), 60, 3600),
    workerConcurrency: Math.round(
      positive('worker-concurrency', args.number('worker-concurrency'), openaiDelayMs !== undefined ? 500 : 64, 1000),
    ),
    warmup: Math.round(args.number('warmup') ?? (openaiDelayMs !== undefined ? 200 : 1000)),
    logLevel: args.string('log-level') ?? 'info',
    redisUrl: args.string('redis-url') ?? env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    cpuProfDir: args.string('cpu-prof'),
    keep: args.bool('keep'),
    appEnv: parseAppEnv(args.string('app-env')),
  };
}

function parseAppEnv(value: string | undefined): Record<string, string> {
  if (!value) return {};
  return Object.fromEntries(
    value.split(',').map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 1 || !/^[A-Z][A-Z0-9_]*$/.test(pair.slice(0, eq))) throw new ArgsError(`--app-env: expected NAME=value, got "${pair}"`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
}
