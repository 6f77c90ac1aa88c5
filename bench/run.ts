/**
 * One bench run: stand-ins up, a private database and queue prefix, the app started as real
 * processes, warm-up, the measured load (closed or open loop), wait for every reply and for the
 * queue to drain, report, clean up. Everything listens on 127.0.0.1 only.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AUTO_SETTINGS, startApp, WEBHOOK_SECRET, type RunningApp } from './app.js';
import { prepareDatabase, type BenchDatabase } from './database.js';
import { closedLoop, createSender, openLoop, zendeskSignatureHeaders } from './driver.js';
import { startHelpdeskStandin, type HelpdeskStandin } from './helpdesk-standin.js';
import { startOpenAIStandin, type OpenAIStandin } from './openai-standin.js';
import type { BenchOptions } from './options.js';
import { cpuMeter } from './cpu.js';
import { readRssMb } from './processes.js';
import { InFlight, percentile, round1, summary } from './stats.js';
import { benchTicket, triggerBody } from './tickets.js';

export type BenchReport = Record<string, unknown> & {
  tickets: number;
  tickets_per_s: number;
  ack_ms: { p50: number; p99: number };
  e2e_ms: { p50: number; p95: number; p99: number };
  duplicates: number;
  lost: number;
  peak_rss_mb: number;
};

type Sent = { sentAt: number; ackMs: number | null; status: number | null };

/** Ticket ids: warm-up from 1,000,000, measured from 10,000,000 (never mixed up). */
const WARMUP_BASE = 1_000_000;
const MEASURED_BASE = 10_000_000;

export async function runBench(o: BenchOptions, log: (msg: string) => void = () => {}): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'hsb-bench-'));
  if (o.cpuProfDir) mkdirSync(o.cpuProfDir, { recursive: true });
  let helpdesk: HelpdeskStandin | undefined;
  let openai: OpenAIStandin | undefined;
  let db: BenchDatabase | undefined;
  let app: RunningApp | undefined;
  try {
    helpdesk = await startHelpdeskStandin({ latencyMs: o.helpdeskDelayMs });
    if (o.openaiDelayMs !== undefined) openai = await startOpenAIStandin({ delayMs: o.openaiDelayMs });
    db = await prepareDatabase({ databaseUrl: o.databaseUrl, tmpDir: dir });
    const queuePrefix = `bench-${randomBytes(5).toString('hex')}`;
    log(`starting ${o.mode} (${o.mode === 'split' ? `${o.workers} workers, ` : ''}${db.kind}, queue prefix ${queuePrefix}, logs in ${dir})`);
    app = await startApp({
      mode: o.mode,
      workers: o.workers,
      databaseEnv: db.env,
      redisUrl: o.redisUrl,
      queuePrefix,
      helpdeskUrl: helpdesk.url,
      openaiUrl: openai?.url,
      workerConcurrency: o.workerConcurrency,
      logLevel: o.logLevel,
      dir,
      cpuProfDir: o.cpuProfDir,
      settings: AUTO_SETTINGS,
      extraEnv: o.appEnv,
    });
    const load = await drive(o, app, db, helpdesk, log);
    const rss = app.processes().map((p) => ({ name: p.name, peak_rss_mb: p.peakRssMb() }));
    return buildReport(o, db, helpdesk, openai, load, rss);
  } finally {
    await app?.stop().catch(() => {});
    await helpdesk?.close().catch(() => {});
    await openai?.close().catch(() => {});
    await db?.drop().catch(() => {});
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}

type LoadResult = {
  sent: Map<string, Sent>;
  firstSend: number;
  lastSend: number;
  answeredAt: Map<string, number>;
  inFlightPeak: number;
  ackErrors: number;
  warmupLost: number;
  drained: boolean;
  /** CPU ms used during the measured phase (first send → last reply), per process. */
  cpuMs: Record<string, number>;
  /** Highest resident set seen during the measured phase, per process (sampled every 250 ms). */
  rssDuringLoad: Record<string, number>;
};

async function drive(o: BenchOptions, app: RunningApp, db: BenchDatabase, helpdesk: HelpdeskStandin, log: (msg: string) => void): Promise<LoadResult> {
  const sender = createSender(app.webUrl, Math.max(64, o.concurrency));
  const sent = new Map<string, Sent>();
  const answeredAt = new Map<string, number>();
  const inFlight = new InFlight();
  let measuring = false;
  let ackErrors = 0;
  helpdesk.onComment((ticketId, c) => {
    if (answeredAt.has(ticketId)) return;
    answeredAt.set(ticketId, c.at);
    if (measuring && sent.has(ticketId)) inFlight.dec();
  });

  /** Sends one ticket's webhook; retries 5xx/network failures like Zendesk would. */
  const fire = async (ticketIndex: number, base: number, record: boolean) => {
    const t = benchTicket(ticketIndex, base);
    helpdesk.addTicket(t);
    const body = triggerBody(t);
    const entry: Sent = { sentAt: performance.now(), ackMs: null, status: null };
    if (record) {
      sent.set(t.id, entry);
      inFlight.inc();
    }
    for (let attempt = 0; attempt < 6; attempt++) {
      try {
        const ack = await sender.post({ path: '/webhooks/zendesk?store=demo', body, headers: zendeskSignatureHeaders(WEBHOOK_SECRET, body) });
        if (entry.ackMs === null) entry.ackMs = ack.ms;
        entry.status = ack.status;
        if (ack.status < 500) return;
      } catch {
        entry.status = 0;
      }
      if (record) ackErrors++;
      await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
    }
  };

  // Warm-up: JIT, lazy imports, pools. Not measured.
  if (o.warmup > 0) {
    log(`warm-up: ${o.warmup} tickets`);
    // As many at once as the measured load will have, so pools and caches reach their working size.
    const warmConcurrency = o.rate !== undefined ? Math.max(4, Math.min(50, Math.round(o.rate / 2))) : o.concurrency;
    await closedLoop(o.warmup, warmConcurrency, (i) => fire(i, WARMUP_BASE, false));
    await waitUntil(() => countAnswered(helpdesk, WARMUP_BASE, o.warmup) >= o.warmup, 60_000);
  }
  const warmupLost = o.warmup - countAnswered(helpdesk, WARMUP_BASE, o.warmup);

  measuring = true;
  const cpu = cpuMeter(app, db);
  await cpu.start();
  const rssDuringLoad: Record<string, number> = {};
  const sampleRss = () => {
    for (const p of app.processes()) rssDuringLoad[p.name] = Math.max(rssDuringLoad[p.name] ?? 0, readRssMb(p.pid));
  };
  const rssTimer = setInterval(sampleRss, 250);
  const firstSend = performance.now();
  let total: number;
  if (o.rate !== undefined && o.durationS !== undefined) {
    log(`open loop: ${o.rate}/s for ${o.durationS} s`);
    total = await openLoop(o.rate, o.durationS, (i) => fire(i, MEASURED_BASE, true));
  } else {
    log(`closed loop: ${o.tickets} tickets, ${o.concurrency} in flight`);
    total = o.tickets;
    await closedLoop(o.tickets, o.concurrency, (i) => fire(i, MEASURED_BASE, true));
  }
  const lastSend = performance.now();
  log(`sent ${total} in ${round1((lastSend - firstSend) / 1000)} s; waiting for replies`);
  await waitUntil(() => countAnswered(helpdesk, MEASURED_BASE, total) >= total, o.timeoutS * 1000);
  const cpuMs = await cpu.end();
  clearInterval(rssTimer);
  sampleRss();
  // Let retries and stragglers finish, so a late second reply would still be counted.
  const drained = await waitUntil(async () => (await app.pendingJobs()) === 0, o.timeoutS * 1000);
  await new Promise((r) => setTimeout(r, 500));
  sender.close();
  return { sent, firstSend, lastSend, answeredAt, inFlightPeak: inFlight.peak, ackErrors, warmupLost, drained, cpuMs, rssDuringLoad };
}

function countAnswered(helpdesk: HelpdeskStandin, base: number, n: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) if (helpdesk.comments(String(base + i)).length > 0) c++;
  return c;
}

async function waitUntil(cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!(await cond())) {
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

async function buildReport(
  o: BenchOptions,
  db: BenchDatabase,
  helpdesk: HelpdeskStandin,
  openai: OpenAIStandin | undefined,
  r: LoadResult,
  rss: { name: string; peak_rss_mb: number }[],
): Promise<BenchReport> {
  const e2e: number[] = [];
  const acks: number[] = [];
  let duplicates = 0;
  let duplicateWrites = 0;
  let lost = 0;
  let publicReplies = 0;
  let notes = 0;
  let lastReply = r.firstSend;
  const statuses: Record<string, number> = {};
  for (const [id, s] of r.sent) {
    if (s.ackMs !== null) acks.push(s.ackMs);
    statuses[String(s.status)] = (statuses[String(s.status)] ?? 0) + 1;
    const comments = helpdesk.comments(id);
    const pub = comments.filter((c) => c.public).length;
    publicReplies += pub;
    notes += comments.length - pub;
    if (pub > 1) duplicates++;
    if (comments.length > 1) duplicateWrites++;
    const at = r.answeredAt.get(id);
    if (at === undefined) {
      lost++;
      continue;
    }
    e2e.push(at - s.sentAt);
    lastReply = Math.max(lastReply, at);
  }
  // Per second of sending: how many were sent and the slowest reply among them (stalls show up here).
  const timeline = new Map<number, { sent: number; max_e2e_ms: number }>();
  for (const [id, sent] of r.sent) {
    const sec = Math.floor((sent.sentAt - r.firstSend) / 1000);
    const e = timeline.get(sec) ?? { sent: 0, max_e2e_ms: 0 };
    e.sent++;
    const at = r.answeredAt.get(id);
    e.max_e2e_ms = Math.max(e.max_e2e_ms, at === undefined ? Infinity : Math.round(at - sent.sentAt));
    timeline.set(sec, e);
  }
  const tickets = r.sent.size;
  const seconds = (lastReply - r.firstSend) / 1000;
  const dbCounts = db.query
    ? await db.query(`select status, count(*)::int as n from inbound_events group by status order by status`).catch(() => [])
    : undefined;
  return {
    tickets,
    tickets_per_s: seconds > 0 ? round1(tickets / seconds) : 0,
    ack_ms: { p50: round1(percentile(acks, 50)), p99: round1(percentile(acks, 99)) },
    e2e_ms: summary(e2e, [50, 95, 99]) as BenchReport['e2e_ms'],
    duplicates,
    lost,
    peak_rss_mb: round1(rss.reduce((s, p) => s + p.peak_rss_mb, 0)),
    peak_rss_mb_by_process: Object.fromEntries(rss.map((p) => [p.name, p.peak_rss_mb])),
    // VmHWM above includes start-up (PGlite creating and loading the demo store peaks there).
    rss_mb_during_load_max: Object.fromEntries(Object.entries(r.rssDuringLoad).map(([k, v]) => [k, round1(v)])),
    database: db.kind,
    mode: o.mode,
    worker_processes: o.mode === 'single' ? 1 : o.workers,
    worker_concurrency: o.workerConcurrency,
    ...(Object.keys(o.appEnv).length ? { app_env: o.appEnv } : {}),
    engine: openai ? `openai (stand-in, ${o.openaiDelayMs} ms per call)` : 'local',
    ...(o.helpdeskDelayMs ? { helpdesk_delay_ms: o.helpdeskDelayMs } : {}),
    load: o.rate !== undefined ? { kind: 'open', rate_per_s: o.rate, duration_s: o.durationS } : { kind: 'closed', concurrency: o.concurrency },
    send_duration_s: round1((r.lastSend - r.firstSend) / 1000),
    run_duration_s: round1(seconds),
    messages_per_s_sent: round1(tickets / Math.max(0.001, (r.lastSend - r.firstSend) / 1000)),
    in_flight_peak: r.inFlightPeak,
    cpu_ms_per_ticket: Object.fromEntries(Object.entries(r.cpuMs).map(([k, v]) => [k, round1(v / Math.max(1, tickets))])),
    cpu_cores_used: Object.fromEntries(Object.entries(r.cpuMs).map(([k, v]) => [k, Math.round((v / Math.max(1, seconds * 1000)) * 100) / 100])),
    ...(openai ? { model_calls: openai.stats().calls, model_calls_in_flight_peak: openai.stats().peakInFlight } : {}),
    ack_statuses: statuses,
    ack_retries: r.ackErrors,
    duplicate_writes: duplicateWrites,
    public_replies: publicReplies,
    internal_notes: notes,
    queue_drained: r.drained,
    warmup: { tickets: o.warmup, lost: r.warmupLost },
    ...(dbCounts ? { inbound_events: Object.fromEntries(dbCounts.map((c) => [String(c.status), Number(c.n)])) } : {}),
    helpdesk_requests: helpdesk.stats().requests,
    machine: { cpus: cpus().length, loadavg_1m_end: round1(loadavg()[0] ?? 0) },
    timeline_by_second: [...timeline].sort((a, b) => a[0] - b[0]).map(([second, v]) => ({ second, ...v })),
  };
}
