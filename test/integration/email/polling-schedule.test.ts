import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'bullmq';
import { ImapFlow } from 'imapflow';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleEmailPolling } from '../../../connectors/email/index.js';
import { jobCatalog } from '../../../jobs/catalog.js';
import { emailPollHandler } from '../../../jobs/handlers/email-poll.js';
import { startWorkers } from '../../../jobs/workers.js';
import type { AppContext } from '../../../src/app/context.js';
import { connectRedis, createRedis } from '../../../src/infra/redis.js';
import { createStore, type Store } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { dovecotAvailable, startImapServer, type ImapTestServer } from '../../helpers/imap-server.js';

describe.skipIf(!dovecotAvailable)('email polling as a repeatable job (demo store from IMAP_* env)', () => {
  let imap: ImapTestServer;
  let db: TestDb;
  let ctx: AppContext;
  let demo: Store;
  let workerConn: Redis;
  let workers: Worker[] = [];

  beforeAll(async () => {
    imap = await startImapServer([{ user: 'support@shop.test', pass: 'env-imap-pass' }]);
    db = await createTestDb();
    ctx = await createTestContext(db, {
      EMAIL_FROM: 'support@shop.test',
      IMAP_HOST: imap.host,
      IMAP_PORT: String(imap.port),
      IMAP_SECURE: 'false',
      IMAP_USER: 'support@shop.test',
      IMAP_PASSWORD: 'env-imap-pass',
      IMAP_POLL_SECONDS: '5',
    });
    demo = await createStore(db.knex, { slug: 'demo', name: 'Demo' });
    await createStore(db.knex, { slug: 'no-mailbox', name: 'No mailbox' });
    workerConn = createRedis(ctx.config.REDIS_URL, 'worker');
    await connectRedis(workerConn, ctx.config.REDIS_URL);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    workerConn?.disconnect();
    await ctx?.close();
    await db?.close();
    await imap?.stop();
  });

  it('schedules one poller per store with a mailbox and removes stale ones', async () => {
    const queue = ctx.queues.queue('email.poll');
    await queue.upsertJobScheduler('email-poll-00000000-0000-4000-8000-000000000000', { every: 60_000 }, { name: 'email.poll', data: { storeId: '00000000-0000-4000-8000-000000000000' } });
    const { storeIds } = await scheduleEmailPolling(ctx);
    expect(storeIds).toEqual([demo.id]);
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([[`email-poll-${demo.id}`, 5000]]);
  });

  it('the scheduled job reads the mailbox through the worker', async () => {
    const client = new ImapFlow({ ...imap.clientOptions(), logger: false });
    await client.connect();
    await client.append('INBOX', readFileSync(join(import.meta.dirname, '../../fixtures/email/customer-order.eml')));
    await client.logout();
    workers = startWorkers(jobCatalog, { 'email.poll': emailPollHandler(ctx) }, workerConn, { prefix: ctx.config.QUEUE_PREFIX, logger: ctx.logger });
    let rows: { idempotency_key: string }[] = [];
    for (let i = 0; i < 100 && rows.length === 0; i++) {
      rows = await db.knex('inbound_events').where({ store_id: demo.id });
      if (rows.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(rows.map((r) => r.idempotency_key)).toEqual(['email:<CAF1a2b3c4.order-question@mail.example.com>']);
    await ctx.queues.queue('email.poll').removeJobScheduler(`email-poll-${demo.id}`);
  });
});
