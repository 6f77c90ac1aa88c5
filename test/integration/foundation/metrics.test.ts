import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_USER_ID, startHelpdeskStandin, type HelpdeskStandin, type StandinTicket } from '../../../bench/helpdesk-standin.js';
import { benchTicket, triggerBody } from '../../../bench/tickets.js';
import type { AppContext } from '../../../src/app/context.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { PENDING_STATUSES, UNFINISHED_STATUSES } from '../../../src/ingest/statuses.js';
import { startMetricsServer } from '../../../src/metrics/metrics-server.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { loadDemoStore } from '../../helpers/stores.js';
import { startTestWorkers, waitForEvent } from '../../helpers/workers.js';

// GET /metrics with real Redis, database, workers and signed Zendesk webhooks (a loopback
// stand-in speaks Zendesk's API): what an operator's Prometheus would scrape.
const TOKEN = 'metrics-test-token-0123456789';
const SECRET = 'metrics-test-signing-secret';

let db: TestDb;
let ctx: AppContext;
let zendesk: HelpdeskStandin;
let app: ReturnType<typeof createApp>;
let workers: Awaited<ReturnType<typeof startTestWorkers>>;

beforeAll(async () => {
  db = await createTestDb();
  zendesk = await startHelpdeskStandin();
  ctx = await createTestContext(db, {
    METRICS_TOKEN: TOKEN,
    ZENDESK_SUBDOMAIN: 'acme',
    ZENDESK_EMAIL: 'bot@acme.example',
    ZENDESK_API_TOKEN: 'zd-token',
    ZENDESK_WEBHOOK_SECRET: SECRET,
    ZENDESK_BOT_USER_ID: BOT_USER_ID,
    ZENDESK_BASE_URL: zendesk.url,
  });
  await loadDemoStore(db.knex);
  app = createApp(ctx, routeModules(ctx));
  workers = await startTestWorkers(ctx);
}, 60_000);
afterAll(async () => {
  await workers?.stop();
  await ctx?.close();
  await db?.close();
  await zendesk?.close();
});

function send(t: StandinTicket) {
  const body = triggerBody(t);
  const ts = new Date().toISOString();
  return supertest(app).post('/webhooks/zendesk').set('Content-Type', 'application/json')
    .set('X-Zendesk-Webhook-Signature', createHmac('sha256', SECRET).update(ts + body).digest('base64'))
    .set('X-Zendesk-Webhook-Signature-Timestamp', ts).send(body);
}

const scrape = () => supertest(app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);

/** The value of one sample line, e.g. `hsb_jobs_total{queue="inbound.process",outcome="completed"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('answers only the token holder (401 with a challenge otherwise), and 404 when no token is configured', async () => {
    const none = await supertest(app).get('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect((await supertest(app).get('/metrics').set('Authorization', 'Bearer wrong-token-of-some-length')).status).toBe(401);

    const off = await createTestContext(db);
    try {
      const res = await supertest(createApp(off, routeModules(off))).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toMatch(/METRICS_TOKEN/);
    } finally {
      await off.close();
    }
  });

  it('counts answered tickets, their time from webhook to answer, acks by route, and dead deliveries', async () => {
    const answered = [benchTicket(0, 81_000), benchTicket(1, 81_000)];
    for (const t of answered) zendesk.addTicket(t);
    for (const t of answered) expect((await send(t)).status).toBe(202);
    for (const t of answered) expect((await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${t.id}:${t.commentId}` })).status).toBe('processed');

    // A revoked token: Zendesk refuses, the delivery is dead and waits for a person.
    zendesk.fail({ status: 401, durationMs: 60_000 });
    const refused = benchTicket(2, 81_000);
    zendesk.addTicket(refused);
    expect((await send(refused)).status).toBe(202);
    expect((await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${refused.id}:${refused.commentId}` })).status).toBe('dead');
    zendesk.clearFault();

    // Refused API calls are labelled by their full route pattern too (Express forgets the prefix on errors).
    await supertest(app).get(`/api/v1/conversations/${refused.id}`).expect(401);
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(sample(text, 'hsb_jobs_total{queue="inbound.process",outcome="completed"}')).toBe(2);
    expect(sample(text, 'hsb_jobs_total{queue="inbound.process",outcome="failed"}')).toBe(1);
    expect(sample(text, 'hsb_job_duration_seconds_count{queue="inbound.process"}')).toBe(2);
    expect(sample(text, 'hsb_job_duration_seconds_bucket{le="900",queue="inbound.process"}')).toBe(2);
    expect(sample(text, 'hsb_http_request_duration_seconds_count{method="POST",route="/webhooks/zendesk",status="202"}')).toBe(3);
    expect(sample(text, 'hsb_http_request_duration_seconds_count{method="GET",route="/api/v1/conversations/:id",status="401"}')).toBe(1);
    expect(sample(text, 'hsb_inbound_events{status="dead"}')).toBe(1);
    expect(sample(text, 'hsb_inbound_events{status="queued"}')).toBe(0);
    expect(sample(text, 'hsb_inbound_oldest_pending_seconds')).toBe(0);
    expect(sample(text, 'hsb_queue_jobs{queue="inbound.process",state="waiting"}')).toBe(0);
    expect(sample(text, 'hsb_dependency_up{dependency="database"}')).toBe(1);
    expect(sample(text, 'hsb_dependency_up{dependency="redis"}')).toBe(1);
    expect(sample(text, 'hsb_process_resident_memory_bytes')).toBeGreaterThan(0);
    // Route patterns and fixed words only: no ticket ids, addresses or message text. An id is
    // looked for as a number of its own: sample values (0.081002495 s) may contain its digits.
    for (const t of [...answered, refused]) {
      expect(text).not.toMatch(new RegExp(`(^|[^0-9.])${t.id}($|[^0-9.])`));
      expect(text).not.toContain(t.requesterEmail);
    }
  });

  it('shows tickets waiting on the bot: how many, and how long the oldest has waited', async () => {
    const store = await db.knex('stores').where({ slug: 'demo' }).first('id');
    const receivedAt = new Date(Date.now() - 120_000);
    const [row] = await db.knex('inbound_events')
      .insert({ store_id: store.id, source: 'zendesk', idempotency_key: 'metrics-stuck-1', event_type: 'ticket_comment', payload: JSON.stringify({}), status: 'queued', received_at: receivedAt })
      .returning('id');
    try {
      const text = (await scrape()).text;
      expect(sample(text, 'hsb_inbound_events{status="queued"}')).toBe(1);
      expect(sample(text, 'hsb_inbound_oldest_pending_seconds')).toBeGreaterThanOrEqual(120);
    } finally {
      await db.knex('inbound_events').where({ id: row.id }).delete();
    }
  });

  it('counts unfinished deliveries from the partial index, never the processed history', async () => {
    // With sequential scans priced out, a status list the index does not cover would still scan.
    const plan = await db.knex.transaction(async (trx) => {
      await trx.raw('set local enable_seqscan = off');
      const pending = await trx.raw(`explain ${trx('inbound_events').whereIn('status', PENDING_STATUSES).min('received_at').toQuery()}`);
      const unfinished = await trx.raw(`explain ${trx('inbound_events').whereIn('status', UNFINISHED_STATUSES).groupBy('status').select('status').count('*').toQuery()}`);
      return [...pending.rows, ...unfinished.rows].map((r: Record<string, string>) => Object.values(r)[0]).join('\n');
    });
    expect(plan.match(/inbound_events_unfinished_idx/g)?.length).toBe(2);
  });

  it('a worker process serves its own job metrics on METRICS_PORT, to the token holder', async () => {
    const server: Server = await startMetricsServer(0, TOKEN, ctx.logger);
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      expect((await fetch(`${base}/other`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
      const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      expect(sample(await res.text(), 'hsb_jobs_total{queue="inbound.process",outcome="completed"}')).toBe(2);
    } finally {
      server.close();
    }
  });
});
