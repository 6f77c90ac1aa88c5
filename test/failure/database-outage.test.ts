import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchTicket } from '../../bench/tickets.js';
import type { StandinTicket } from '../../bench/helpdesk-standin.js';
import { startHarness, type Harness } from './harness.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

// The Postgres server goes away (restart, failover) while tickets are being answered and while
// webhooks keep arriving. The web and worker processes reach it through a proxy the test cuts;
// the shared server itself is never touched. Webhooks answer 503 + Retry-After, promptly, so the
// vendor delivers again; jobs caught mid-way wait for the database without spending attempts;
// once it is back every ticket gets exactly one reply. Needs a Postgres server: with embedded
// PGlite the database lives inside the app process and cannot go away on its own.
const databaseUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!databaseUrl)('Postgres unreachable during intake and processing', () => {
  let proxy: TcpProxy;
  let h: Harness;

  beforeAll(async () => {
    const target = new URL(databaseUrl!);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    h = await startHarness({ mapDatabaseUrl: (url) => proxy.via(url) });
  });
  afterAll(async () => {
    await proxy?.restore();
    await h?.close();
    await proxy?.close();
  });

  it('answers 503 while the database is down and answers every ticket once after it is back', async () => {
    const before: StandinTicket[] = Array.from({ length: 20 }, (_, i) => benchTicket(i, 6_000_000));
    const during: StandinTicket[] = Array.from({ length: 20 }, (_, i) => benchTicket(i + 20, 6_000_000));

    // Accepted while the database is up; it goes away while their replies are being posted.
    h.helpdesk.setWriteDelay(400);
    const first = await Promise.all(before.map((t) => h.post(t)));
    expect(first.map((a) => a.status)).toEqual(before.map(() => 202));
    await new Promise((r) => setTimeout(r, 300));
    await proxy.cut();

    const refused = await Promise.all(during.map((t) => h.post(t)));
    expect(refused.map((a) => a.status)).toEqual(during.map(() => 503));
    expect(refused.every((a) => Number(a.headers?.['retry-after']) > 0)).toBe(true);
    // Inside Zendesk's 10 s delivery timeout, so the vendor sees the 503 and retries.
    expect(Math.max(...refused.map((a) => a.ms))).toBeLessThan(8_000);
    expect(JSON.parse(refused[0]!.body)).toEqual({ error: { status: 503, message: 'database unavailable, retry later' } });
    const health = await fetch(`${h.app.webUrl}/health`);
    expect(health.status).toBe(503);

    // An outage of a few seconds: the jobs caught in it keep waiting instead of failing.
    await new Promise((r) => setTimeout(r, 3_000));
    await proxy.restore();
    h.helpdesk.setWriteDelay(0);
    const retried = await Promise.all(during.map((t) => h.deliver(t, { retryEveryMs: 250, timeoutMs: 30_000 })));
    expect(retried.every((statuses) => [200, 202].includes(statuses.at(-1)!))).toBe(true);

    const all = [...before, ...during];
    await h.waitForReplies(all, 60_000);
    await h.waitForDrain(30_000);
    expect(all.map((t) => h.helpdesk.comments(t.id).length)).toEqual(all.map(() => 1));
    // The outage did catch jobs mid-way (the test is not passing on an idle worker).
    const workerLog = h.app.workers.map((w) => readFileSync(w.logFile, 'utf8')).join('\n');
    expect(workerLog).toContain('job waits without spending an attempt');
    const events = await h.withDb((db) => db('inbound_events').select('status').count({ n: '*' }).groupBy('status'));
    expect(events).toEqual([{ status: 'processed', n: all.length }]);
  }, 120_000);
});
