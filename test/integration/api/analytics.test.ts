/**
 * GET /api/v1/stores/:storeId/analytics on a fixture of known conversations: every number is
 * checked exactly against a hand count (docs/analytics.md has the definitions).
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsSchema } from '../../../src/api/schemas/stores.js';
import type { AppContext } from '../../../src/app/context.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { createStoreWithKey } from '../../helpers/stores.js';
import { addKey, auth, insertConversation } from './api-helpers.js';

let testDb: TestDb;
let ctx: AppContext;
let app: ReturnType<typeof createApp>;
let adminA: string;
let readerA: string;
let adminB: string;
let storeA: string;

beforeAll(async () => {
  testDb = await createTestDb();
  ctx = await createTestContext(testDb);
  app = createApp(ctx, routeModules(ctx));
  const a = await createStoreWithKey(ctx.db, 'analytics-a');
  const b = await createStoreWithKey(ctx.db, 'analytics-b');
  storeA = a.store.id;
  adminA = a.key;
  adminB = b.key;
  readerA = await addKey(ctx.db, storeA, ['read']);
  const s = storeA;
  // In the period 2026-03-01..2026-03-03 (7 conversations):
  await insertConversation(ctx.db, { storeId: s, createdAt: '2026-03-01T10:00:00Z', status: 'resolved', csat: 5, intent: 'order_status', firstResponseMs: 2000, turns: [{ outcome: 'auto', latencyMs: 300, costUsd: 0.001, tokens: 100 }] });
  await insertConversation(ctx.db, { storeId: s, createdAt: '2026-03-01T23:59:59Z', intent: 'shipping_question', firstResponseMs: 1000, turns: [{ outcome: 'auto', latencyMs: 500 }, { outcome: 'auto', latencyMs: 700 }] });
  await insertConversation(ctx.db, { storeId: s, createdAt: '2026-03-02T08:00:00Z', status: 'escalated', intent: 'complaint', firstResponseMs: 3000, turns: [{ outcome: 'escalated', latencyMs: 400 }], actions: [{ type: 'return_request', status: 'failed' }] });
  await insertConversation(ctx.db, { storeId: s, createdAt: '2026-03-02T09:00:00Z', status: 'resolved', csat: 2, intent: 'refund_request', firstResponseMs: 60_000, turns: [{ outcome: 'awaiting_approval', latencyMs: 600, costUsd: 0.0025, tokens: 250 }], actions: [{ type: 'refund', status: 'completed' }] });
  await insertConversation(ctx.db, { storeId: s, createdAt: '2026-03-03T12:00:00Z', intent: 'cancel_order', turns: [{ outcome: 'draft', latencyMs: 200 }], actions: [{ type: 'cancel_order', status: 'proposed' }] });
  await insertConversation(ctx.db, { storeId: s, createdAt: '2026-03-03T13:00:00Z', status: 'resolved', csat: 4, intent: 'order_status', firstResponseMs: 500, metadata: { escalation: { reason: 'asked for a manager', source: 'api' } }, turns: [{ outcome: 'auto', latencyMs: 100 }] });
  await insertConversation(ctx.db, { storeId: s, createdAt: '2026-03-03T14:00:00Z' });
  // Outside the period, or another store's: never counted.
  await insertConversation(ctx.db, { storeId: s, createdAt: '2026-02-28T23:59:59Z', intent: 'order_status', firstResponseMs: 10, turns: [{ outcome: 'auto', latencyMs: 9999, costUsd: 1, tokens: 9999 }], actions: [{ type: 'refund', status: 'completed' }] });
  await insertConversation(ctx.db, { storeId: s, createdAt: '2026-03-04T00:00:00Z', intent: 'complaint', turns: [{ outcome: 'escalated' }] });
  await insertConversation(ctx.db, { storeId: b.store.id, createdAt: '2026-03-02T10:00:00Z', status: 'resolved', csat: 1, intent: 'complaint', turns: [{ outcome: 'escalated', costUsd: 5 }] });
});

afterAll(async () => {
  await ctx?.close();
  await testDb?.close();
});

const url = (store = 'analytics-a') => `/api/v1/stores/${store}/analytics`;

describe('store analytics', () => {
  it('matches a hand count of the fixture exactly', async () => {
    const res = await request(app).get(url()).query({ start_date: '2026-03-01', end_date: '2026-03-03' }).set(auth(readerA));
    expect(res.status).toBe(200);
    expect(analyticsSchema.parse(res.body)).toEqual(res.body);
    expect(res.body).toEqual({
      start_date: '2026-03-01',
      end_date: '2026-03-03',
      total_conversations: 7,
      automated_conversations: 2, // every turn auto, never escalated: the first two
      escalated_conversations: 2, // status escalated; escalated through the API, then resolved
      resolved_conversations: 3,
      automation_rate: 0.2857,
      escalation_rate: 0.2857,
      resolution_rate: 0.4286,
      avg_response_time_ms: 13_300, // (2000 + 1000 + 3000 + 60000 + 500) / 5
      avg_processing_time_ms: 400, // (300 + 500 + 700 + 400 + 600 + 200 + 100) / 7 turns
      csat_average: 3.67, // (5 + 2 + 4) / 3
      csat_responses: 3,
      intents: { order_status: 2, shipping_question: 1, complaint: 1, refund_request: 1, cancel_order: 1 },
      actions: {
        return_request: { completed: 0, failed: 1, awaiting_approval: 0, rejected: 0, proposed: 0, approved: 0 },
        refund: { completed: 1, failed: 0, awaiting_approval: 0, rejected: 0, proposed: 0, approved: 0 },
        cancel_order: { completed: 0, failed: 0, awaiting_approval: 0, rejected: 0, proposed: 1, approved: 0 },
      },
      outcomes: { auto: 4, draft: 1, escalated: 1, off: 0, awaiting_approval: 1 },
      cost_usd: 0.0035,
      tokens: 350,
      daily: [
        { date: '2026-03-01', conversations: 2, automated: 2, escalated: 0, avg_response_time_ms: 1500 }, // (2000 + 1000) / 2
        { date: '2026-03-02', conversations: 2, automated: 0, escalated: 1, avg_response_time_ms: 31_500 }, // (3000 + 60000) / 2
        { date: '2026-03-03', conversations: 3, automated: 0, escalated: 1, avg_response_time_ms: 500 },
      ],
    });
  });

  it('counts a one-day period (end date inclusive) and answers zeros for an empty one', async () => {
    const one = await request(app).get(url()).query({ start_date: '2026-03-02', end_date: '2026-03-02' }).set(auth(adminA));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ total_conversations: 2, escalated_conversations: 1, resolved_conversations: 1, csat_average: 2, intents: { complaint: 1, refund_request: 1 } });
    const empty = await request(app).get(url()).query({ start_date: '2025-01-01', end_date: '2025-01-02' }).set(auth(adminA));
    expect(empty.body).toMatchObject({ total_conversations: 0, automation_rate: 0, escalation_rate: 0, avg_response_time_ms: null, csat_average: null, cost_usd: 0, intents: {}, actions: {} });
    expect(empty.body.outcomes).toEqual({ auto: 0, draft: 0, escalated: 0, off: 0, awaiting_approval: 0 });
    expect(empty.body.daily).toEqual([
      { date: '2025-01-01', conversations: 0, automated: 0, escalated: 0, avg_response_time_ms: null },
      { date: '2025-01-02', conversations: 0, automated: 0, escalated: 0, avg_response_time_ms: null },
    ]);
  });

  it('defaults to the last 30 days', async () => {
    const res = await request(app).get(url(storeA)).set(auth(readerA));
    expect(res.status).toBe(200);
    expect(res.body.daily).toHaveLength(30);
    expect(res.body.end_date).toBe(new Date().toISOString().slice(0, 10));
  });

  it.each([
    [{ start_date: '2026-03-05', end_date: '2026-03-01' }, 'start_date must be on or before end_date'],
    [{ start_date: '2026-02-30', end_date: '2026-03-01' }, 'invalid request'],
    [{ start_date: '2026-3-1', end_date: '2026-03-01' }, 'invalid request'],
    [{ start_date: '2024-01-01', end_date: '2026-03-01' }, 'the period may span at most 366 days'],
    [{ start_date: '2026-03-01', until: '2026-03-02' }, 'invalid request'],
  ])('400 for %j', async (query, message) => {
    const res = await request(app).get(url()).query(query).set(auth(readerA));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(message);
  });

  it("401 without a key, 403 for another store's analytics", async () => {
    expect((await request(app).get(url())).status).toBe(401);
    const other = await request(app).get(url()).query({ start_date: '2026-03-01', end_date: '2026-03-03' }).set(auth(adminB));
    expect(other.status).toBe(403);
    expect(other.body.total_conversations).toBeUndefined();
    // Store B sees only its own conversation.
    const own = await request(app).get(url('analytics-b')).query({ start_date: '2026-03-01', end_date: '2026-03-03' }).set(auth(adminB));
    expect(own.body).toMatchObject({ total_conversations: 1, escalated_conversations: 1, csat_average: 1, cost_usd: 5 });
  });
});
