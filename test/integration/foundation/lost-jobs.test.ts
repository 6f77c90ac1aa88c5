/**
 * Recorded events whose job Redis lost (restart without persistence, failover, eviction, or an
 * enqueue that failed after the commit) get their job back; jobs that still exist are left alone.
 * Real Postgres (PGlite or TEST_DATABASE_URL) and the real Redis queues: the loss is made by
 * deleting the jobs from Redis, as a restart without persistence would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { ingestEvent } from '../../../src/ingest/ingest.js';
import { recoverLostJobs } from '../../../src/ingest/recover-lost-jobs.js';
import { createStore, type Store } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';

const FIVE_MINUTES = 5 * 60_000;

let testDb: TestDb;
let ctx: AppContext;
let store: Store;

beforeAll(async () => {
  testDb = await createTestDb();
  ctx = await createTestContext(testDb);
  store = await createStore(ctx.db, { slug: 'lost-jobs', name: 'Lost jobs' });
});

afterAll(async () => {
  await ctx?.close();
  await testDb?.close();
});

/** A customer message recorded and enqueued as intake does, `ageMin` minutes ago. */
async function received(key: string, ageMin: number, source: 'zendesk' | 'shopify' = 'zendesk'): Promise<string> {
  const payload =
    source === 'shopify'
      ? { topic: 'orders/updated', shop: 'lost-jobs.myshopify.com', webhookId: key, eventId: null, triggeredAt: null, apiVersion: null, body: {} }
      : { kind: 'customer_message', channel: 'zendesk', externalTicketId: key, externalMessageId: key, customerEmail: null, customerName: null, subject: null, body: 'Where is my order?', receivedAt: new Date().toISOString() };
  const { inboundEventId } = await ingestEvent(ctx, {
    storeId: store.id,
    source,
    idempotencyKey: key,
    eventType: source === 'shopify' ? 'orders/updated' : 'customer_message',
    payload,
    job: source === 'shopify' ? 'commerce.webhook' : 'inbound.process',
  });
  await ctx.db('inbound_events').where({ id: inboundEventId }).update({ received_at: ctx.db.raw(`now() - make_interval(mins => ?)`, [ageMin]) });
  return inboundEventId;
}

const queueOf = (source: string) => ctx.queues.queue(source === 'shopify' ? 'commerce.webhook' : 'inbound.process');
const stateOf = (jobId: string, source = 'zendesk') => queueOf(source).getJobState(jobId);

/** What Redis losing the job looks like to us: the queue no longer knows its id. */
async function loseJob(jobId: string, source = 'zendesk'): Promise<void> {
  await queueOf(source).remove(jobId);
  expect(await stateOf(jobId, source)).toBe('unknown');
}

describe('lost-job recovery', () => {
  it('gives a lost job back under its own id and leaves waiting, young and finished events alone', async () => {
    const lost = await received('lost-1', 10);
    const waiting = await received('waiting-1', 10);
    const young = await received('young-1', 1);
    const unqueued = await received('unqueued-1', 10);
    const shopify = await received('shopify-1', 10, 'shopify');
    const processed = await received('processed-1', 10);
    // A job started a minute ago when Redis lost it: that run may still be going.
    const running = await received('running-1', 10);
    await ctx.db('inbound_events').where({ id: running }).update({ status: 'processing', claimed_at: ctx.db.raw(`now() - interval '1 minute'`) });
    for (const id of [lost, young, unqueued, processed, running]) await loseJob(`ie-${id}`);
    await loseJob(`ie-${shopify}`, 'shopify');
    // An enqueue that failed after the commit leaves the row `received` with no job.
    await ctx.db('inbound_events').where({ id: unqueued }).update({ status: 'received' });
    await ctx.db('inbound_events').where({ id: processed }).update({ status: 'processed' });
    // A replayed dead event runs under the id kept on its row; its job is lost too.
    const replayed = await received('replayed-1', 10);
    await ctx.db('inbound_events').where({ id: replayed }).update({ job_id: `ie-${replayed}-retry-3` });
    await loseJob(`ie-${replayed}`);

    const pass = await recoverLostJobs(ctx, { olderThanMs: FIVE_MINUTES });

    expect(new Set(pass.requeued)).toEqual(new Set([lost, unqueued, shopify, replayed]));
    expect(await stateOf(`ie-${lost}`)).toBe('waiting');
    expect(await stateOf(`ie-${shopify}`, 'shopify')).toBe('waiting');
    expect(await stateOf(`ie-${replayed}-retry-3`)).toBe('waiting');
    expect(await stateOf(`ie-${replayed}`)).toBe('unknown');
    expect(await stateOf(`ie-${young}`)).toBe('unknown');
    expect(await stateOf(`ie-${processed}`)).toBe('unknown');
    expect(await stateOf(`ie-${running}`)).toBe('unknown');
    const job = await queueOf('zendesk').getJob(`ie-${lost}`);
    expect(job?.data).toEqual({ storeId: store.id, inboundEventId: lost });
    expect(await ctx.db('inbound_events').where({ id: unqueued }).first('status')).toEqual({ status: 'queued' });
    expect(await stateOf(`ie-${waiting}`)).toBe('waiting');

    // The jobs exist again: a second pass (or another worker's) adds nothing.
    expect((await recoverLostJobs(ctx, { olderThanMs: FIVE_MINUTES })).requeued).toEqual([]);
    expect(await queueOf('zendesk').getWaitingCount()).toBe(4);

    // Started more than five minutes ago: no run of it can still be going.
    await ctx.db('inbound_events').where({ id: running }).update({ claimed_at: ctx.db.raw(`now() - interval '6 minutes'`) });
    expect((await recoverLostJobs(ctx, { olderThanMs: FIVE_MINUTES })).requeued).toEqual([running]);
  });

  it('walks a backlog batch by batch, so waiting jobs at the front do not hide a lost one', async () => {
    await ctx.db('inbound_events').where({ store_id: store.id }).update({ status: 'processed' });
    const backlog = [];
    for (let i = 0; i < 5; i++) backlog.push(await received(`backlog-${i}`, 30 - i));
    await loseJob(`ie-${backlog[4]}`);

    const requeued: string[] = [];
    let after = null;
    let passes = 0;
    do {
      const pass = await recoverLostJobs(ctx, { olderThanMs: FIVE_MINUTES, batch: 2, after });
      requeued.push(...pass.requeued);
      after = pass.next;
      passes++;
    } while (after);

    expect(requeued).toEqual([backlog[4]]);
    expect(passes).toBe(3);
    expect(await stateOf(`ie-${backlog[4]}`)).toBe('waiting');
  });
});
