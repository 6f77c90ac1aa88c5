/**
 * SQL statements and CPU per ticket, in one process (no HTTP server, no queue worker): ingest +
 * the inbound.process handler against the demo store and the Zendesk stand-in.
 *
 *   npx tsx bench/tools/queries-per-ticket.ts [N=200]            # embedded PGlite (in memory)
 *   TEST_DATABASE_URL=postgres://… npx tsx bench/tools/queries-per-ticket.ts
 *
 * Prints each statement of the worker's path with its mean time (and, on a Postgres server, the
 * server CPU it cost, read from /proc for the pool's backends), then the statement count per
 * ticket (ingest and worker) and the CPU per ticket. Needs Redis (REDIS_URL / 127.0.0.1:6379).
 */
import pg from 'pg';
import { processInboundHandler } from '../../jobs/handlers/process-inbound.js';
import { parseZendeskWebhook } from '../../connectors/zendesk/zendesk.mappers.js';
import { ingestEvent } from '../../src/ingest/ingest.js';
import { createPipelineRuntime } from '../../src/pipeline/factory.js';
import { createTestContext } from '../../test/helpers/context.js';
import { createTestDb } from '../../test/helpers/db.js';
import { loadDemoStore } from '../../test/helpers/stores.js';
import { BOT_USER_ID, startHelpdeskStandin } from '../helpdesk-standin.js';
import { readCpuMs } from '../processes.js';
import { benchTicket, triggerBody } from '../tickets.js';

const N = Number(process.argv[2] ?? 200);
const WARMUP = 10;
const helpdesk = await startHelpdeskStandin();
const db = await createTestDb();
const store = await loadDemoStore(db.knex);
await db.knex('stores').where({ id: store.id }).update({ settings: JSON.stringify({ ...store.settings, modes: { ...store.settings.modes, default: 'auto' } }) });
const ctx = await createTestContext(db, {
  ZENDESK_SUBDOMAIN: 'bench',
  ZENDESK_EMAIL: 'bot@bench.example',
  ZENDESK_API_TOKEN: 'x',
  ZENDESK_WEBHOOK_SECRET: 's',
  ZENDESK_BOT_USER_ID: BOT_USER_ID,
  ZENDESK_BASE_URL: helpdesk.url,
});
const handler = processInboundHandler(ctx, createPipelineRuntime(ctx));

let statements = 0;
const startedAt = new Map<string, number>();
const bySql = new Map<string, { n: number; ms: number }>();
type Q = { sql: string; __knexQueryUid: string };
// Server CPU per statement: the backends' CPU ticks (10 ms) around each statement, averaged over
// many tickets. Statements that overlap (parallel reads) share the attribution.
let backendPids: number[] = [];
async function findBackends(): Promise<void> {
  if (db.kind !== 'pg' || !process.env.TEST_DATABASE_URL) return;
  const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await c.connect();
  const r = await c.query("select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()");
  backendPids = r.rows.map((row: { pid: number }) => row.pid);
  await c.end();
}
const backendCpuMs = () => backendPids.reduce((sum, pid) => sum + readCpuMs(pid), 0);
const cpuAt = new Map<string, number>();
const serverMsBySql = new Map<string, number>();
db.knex.on('query', (q: Q) => {
  statements++;
  startedAt.set(q.__knexQueryUid, performance.now());
  if (backendPids.length) cpuAt.set(q.__knexQueryUid, backendCpuMs());
});
db.knex.on('query-response', (_r: unknown, q: Q) => {
  const t = startedAt.get(q.__knexQueryUid);
  if (t === undefined) return;
  const k = q.sql.replace(/\s+/g, ' ').slice(0, 100);
  const e = bySql.get(k) ?? { n: 0, ms: 0 };
  e.n++;
  e.ms += performance.now() - t;
  bySql.set(k, e);
  const t0 = cpuAt.get(q.__knexQueryUid);
  if (t0 !== undefined) serverMsBySql.set(k, (serverMsBySql.get(k) ?? 0) + backendCpuMs() - t0);
});

let ingestStatements = 0;
let workerStatements = 0;
let cpu0 = process.cpuUsage();
for (let i = 0; i < N + WARMUP; i++) {
  if (i === WARMUP) {
    await findBackends();
    bySql.clear();
    serverMsBySql.clear();
    ingestStatements = workerStatements = 0;
    cpu0 = process.cpuUsage();
  }
  const t = benchTicket(i);
  helpdesk.addTicket(t);
  const raw = Buffer.from(triggerBody(t));
  const parsed = parseZendeskWebhook(JSON.parse(raw.toString()), { subdomain: 'bench', botUserId: BOT_USER_ID, now: new Date(), rawBody: raw });
  if (parsed.kind !== 'message') throw new Error('not a customer message');
  statements = 0;
  const r = await ingestEvent(ctx, { storeId: store.id, source: 'zendesk', idempotencyKey: parsed.idempotencyKey, eventType: 'customer_message', payload: parsed.event, job: 'inbound.process' });
  ingestStatements += statements;
  statements = 0;
  await handler({ storeId: store.id, inboundEventId: r.inboundEventId });
  workerStatements += statements;
}
const cpu = process.cpuUsage(cpu0);
for (const [sql, v] of [...bySql].sort((a, b) => b[1].ms - a[1].ms)) {
  const server = serverMsBySql.has(sql) ? `  server ${((serverMsBySql.get(sql) ?? 0) / v.n).toFixed(2).padStart(5)} ms` : '';
  console.log(`${(v.ms / v.n).toFixed(2).padStart(6)} ms${server}  ×${(v.n / N).toFixed(2)}  ${sql}`);
}
console.log(JSON.stringify({
  database: db.kind,
  tickets: N,
  statements_per_ticket: { ingest: ingestStatements / N, worker: workerStatements / N },
  cpu_ms_per_ticket: Math.round(((cpu.user + cpu.system) / 1000 / N) * 10) / 10,
  replies: helpdesk.answeredCount(),
}));
await ctx.close();
await db.close();
await helpdesk.close();
process.exit(0);
