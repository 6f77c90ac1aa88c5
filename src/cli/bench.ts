/**
 * `npm run bench -- --tickets N --concurrency C --report OUT.json`
 *
 * Drives the whole path on loopback: signed Zendesk webhooks → web process → queue → worker
 * (the real pipeline) → reply posted to a Zendesk stand-in, and writes the report JSON
 * (`tickets`, `tickets_per_s`, `ack_ms`, `e2e_ms`, `duplicates`, `lost`, `peak_rss_mb`, and more).
 * Needs only Redis (REDIS_URL, default 127.0.0.1:6379); the database is embedded PGlite in a temp
 * dir unless --database-url / DATABASE_URL names a Postgres server (a private schema, dropped after).
 *
 * Options: see USAGE below (also `npm run bench -- --help`).
 *
 * Exit 0 when the run finished and the report was written (whatever the numbers), 1 when it
 * could not run (or overran 600 s + 2 × timeout + duration or tickets/10 s), 2 for bad arguments.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BENCH_OPTIONS, benchOptions } from '../../bench/options.js';
import { killAllStarted, killStartedOnSignals } from '../../bench/processes.js';
import { runBench } from '../../bench/run.js';
import { ArgsError, parseArgs } from './args.js';

const USAGE = `usage: npm run bench -- --tickets N --concurrency C --report OUT.json [options]

  --mode single|split       one process (src/main.ts) or src/web.ts + --workers N × src/worker.ts
  --workers N               worker processes in split mode (default 2)
  --worker-concurrency N    WORKER_CONCURRENCY per worker (default 64, as in production; 500 with --openai-delay-ms)
  --database-url URL        Postgres server instead of PGlite (required by split mode)
  --openai-delay-ms N       the OpenAI engine, behind a chat-completions stand-in answering in N ms
  --helpdesk-delay-ms N     the Zendesk stand-in answers every call after N ms (a real round trip)
  --rate R --duration-s D   open loop: R webhooks/s for D s (instead of --tickets/--concurrency)
  --timeout-s S             wait at most S s for replies after the last send (default 60)
  --warmup N                unmeasured tickets first (default 1000, 200 with --openai-delay-ms):
                            after a cold start the first ~700 tickets are several times slower
                            (JIT, pools, caches) and would measure start-up, not steady state
  --redis-url URL           Redis for the queue (default REDIS_URL or redis://127.0.0.1:6379)
  --log-level L             LOG_LEVEL of the app processes (default info)
  --app-env A=1,B=2         more environment for the app processes (e.g. DATABASE_POOL_MAX=50)
  --cpu-prof DIR            write V8 CPU profiles of the app processes to DIR
  --keep                    keep the temp dir (app logs, PGlite files)
`;

async function main(): Promise<number> {
  let opts;
  try {
    const args = parseArgs(process.argv.slice(2), { known: BENCH_OPTIONS, booleans: ['keep', 'help'] });
    if (args.bool('help')) {
      process.stdout.write(USAGE);
      return 0;
    }
    opts = benchOptions(args);
  } catch (err) {
    if (err instanceof ArgsError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  killStartedOnSignals();
  // Whatever happens, the bench ends: a run that overstays is stopped with its processes.
  const maxS = Math.round(600 + 2 * opts.timeoutS + (opts.durationS ?? opts.tickets / 10));
  setTimeout(() => {
    process.stderr.write(`bench: still running after ${maxS} s; stopping it\n`);
    killAllStarted();
    process.exit(1);
  }, maxS * 1000).unref();
  const started = Date.now();
  const log = (msg: string) => process.stderr.write(`[bench +${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);
  try {
    const report = await runBench(opts, log);
    const out = resolve(opts.report);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(report)}\n`);
    log(`report written to ${out}`);
    return 0;
  } catch (err) {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

process.exit(await main());
