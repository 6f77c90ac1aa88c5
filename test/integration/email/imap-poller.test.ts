import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { resolveEmailSettings } from '../../../connectors/email/email.config.js';
import { createEmailConnector } from '../../../connectors/email/email.factory.js';
import { pollMailbox } from '../../../connectors/email/email.imap-poller.js';
import { closeSmtpTransports } from '../../../connectors/email/email.smtp.js';
import type { EmailSettings } from '../../../connectors/email/email.types.js';
import type { InboundMessageEvent } from '../../../src/domain/events.js';
import { saveCredentials } from '../../../src/store/credentials.js';
import { recoverLostJobs } from '../../../src/ingest/recover-lost-jobs.js';
import { createStore, type Store } from '../../../src/store/stores.js';
import { startPrivateRedis } from '../../failure/redis-server.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { dovecotAvailable, startImapServer, type ImapTestServer } from '../../helpers/imap-server.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/email', name));

/** A plain customer mail (RFC 5322), as a mail client would hand it to the server. */
function mail(o: { from: string; id: string; subject: string; body: string; inReplyTo?: string; references?: string }): string {
  return [
    `Return-Path: <${o.from}>`,
    `From: ${o.from}`,
    'To: Shop Support <support@shop.test>',
    `Subject: ${o.subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${o.id}`,
    ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`] : []),
    ...(o.references ? [`References: ${o.references}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.body,
    '',
  ].join('\r\n');
}

// CI installs dovecot-imapd; the skip only keeps a laptop without it from failing.
describe.skipIf(!dovecotAvailable)('IMAP poller against a real Dovecot', () => {
  let imap: ImapTestServer;
  let db: TestDb;
  let ctx: AppContext;
  let sink: SmtpSink;
  let store: Store;
  let settings: EmailSettings;
  let client: ImapFlow;

  const events = async () =>
    (await db.knex('inbound_events').where({ store_id: store.id, source: 'email' }).orderBy('received_at')) as {
      id: string;
      payload: InboundMessageEvent;
      status: string;
    }[];
  const jobCount = async () => {
    const c = await ctx.queues.queue('inbound.process').getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');
    return Object.values(c).reduce((a, b) => a + b, 0);
  };
  const flags = async (mailbox: string, messageId: string) => {
    const lock = await client.getMailboxLock(mailbox);
    try {
      const uids = (await client.search({ header: { 'message-id': messageId } }, { uid: true })) || [];
      const [msg] = await client.fetchAll(uids.join(','), { flags: true }, { uid: true });
      return msg ? [...(msg.flags ?? [])] : null;
    } finally {
      lock.release();
    }
  };

  beforeAll(async () => {
    imap = await startImapServer([
      { user: 'support@shop.test', pass: 'imap-secret-1' },
      { user: 'orders@shop.test', pass: 'imap-secret-2' },
    ]);
    db = await createTestDb();
    ctx = await createTestContext(db);
    sink = await startSmtpSink();
    store = await createStore(db.knex, { slug: 'imapshop', name: 'Imap Shop' });
    await saveCredentials(db.knex, ctx.encryptionKey, {
      storeId: store.id,
      kind: 'email',
      secrets: {
        smtp: { host: '127.0.0.1', port: sink.port, secure: false },
        imap: { host: imap.host, port: imap.port, secure: false, user: 'support@shop.test', pass: 'imap-secret-1' },
      },
      meta: { fromAddress: 'support@shop.test', mailbox: 'INBOX', maxPerSenderPerDay: 5 },
    });
    settings = await resolveEmailSettings(ctx, store);
    client = new ImapFlow({ ...imap.clientOptions('support@shop.test'), logger: false });
    await client.connect();
  });

  afterAll(async () => {
    await client?.logout().catch(() => {});
    closeSmtpTransports();
    await sink?.stop();
    await ctx?.close();
    await db?.close();
    await imap?.stop();
  });

  const poll = (mailbox?: string) => pollMailbox(ctx, { storeId: store.id, settings, mailbox });

  it('reads a customer mail once: one event, one job, flagged \\Seen', async () => {
    await client.append('INBOX', fixture('customer-order.eml'));
    const result = await poll();
    expect(result).toMatchObject({ reset: true, fetched: 1, accepted: 1, ignored: 0, failed: 0 });
    const [event] = await events();
    expect(event!.payload).toMatchObject({
      channel: 'email',
      externalTicketId: '<CAF1a2b3c4.order-question@mail.example.com>',
      customerEmail: 'ann.lee@example.com',
      subject: 'Where is my order #W2378156?',
      meta: { attachments: [{ filename: 'receipt.png', contentType: 'image/png', size: 70 }] },
    });
    expect(event!.payload.body).toContain('where\norder #W2378156 is?');
    expect(await ctx.queues.queue('inbound.process').getJob(`ie-${event!.id}`)).toBeTruthy();
    expect(await flags('INBOX', '<CAF1a2b3c4.order-question@mail.example.com>')).toContain('\\Seen');
  });

  it('polling again finds nothing new', async () => {
    const result = await poll();
    expect(result).toMatchObject({ reset: false, fetched: 0, accepted: 0 });
    expect(await events()).toHaveLength(1);
    expect(await jobCount()).toBe(1);
  });

  it('the same message read twice (progress lost, flag cleared) is still one event and one job', async () => {
    await db.knex('email_mailboxes').where({ store_id: store.id }).delete();
    const lock = await client.getMailboxLock('INBOX');
    await client.messageFlagsRemove('1:*', ['\\Seen']).finally(() => lock.release());
    const result = await poll();
    expect(result).toMatchObject({ reset: true, fetched: 1, accepted: 0, duplicates: 1 });
    expect(await events()).toHaveLength(1);
    expect(await jobCount()).toBe(1);
  });

  it('an out-of-office, a bounce and a list message get no event and stay unread', async () => {
    for (const f of ['out-of-office.eml', 'bounce.eml', 'list.eml']) await client.append('INBOX', fixture(f));
    const result = await poll();
    expect(result).toMatchObject({ fetched: 3, accepted: 0, ignored: 3 });
    expect(await events()).toHaveLength(1);
    expect(await flags('INBOX', '<oof-7781@mail.example.com>')).not.toContain('\\Seen');
    expect(await flags('INBOX', '<20261120092500.ABC123@mx.example.com>')).not.toContain('\\Seen');
  });

  it("a reply to our reply continues the same conversation (only In-Reply-To set)", async () => {
    const [first] = await events();
    // What the pipeline does with the first event: a conversation on the thread root, then a reply.
    const root = first!.payload.externalTicketId;
    await db.knex('conversations').insert({ store_id: store.id, channel: 'email', external_id: root, customer_email: 'ann.lee@example.com', subject: first!.payload.subject });
    const connector = await createEmailConnector(ctx, store);
    const { externalId: ourId } = await connector.postReply(
      { externalTicketId: root, meta: first!.payload.meta },
      { body: 'Your order #W2378156 is in transit.', visibility: 'public' },
      { idempotencyKey: `reply:ie-${first!.id}` },
    );
    const [sent] = await sink.waitFor(1);
    expect(sent!.headers['in-reply-to']).toBe(root);

    // Some clients send only In-Reply-To, and the customer changed the subject: the headers alone
    // (our outbound log) find the thread.
    await client.append('INBOX', mail({ from: 'Ann Lee <ann.lee@example.com>', id: '<ann-2@mail.example.com>', subject: 'Delivery date?', body: 'Thanks! When will it arrive?', inReplyTo: ourId }));
    const result = await poll();
    expect(result).toMatchObject({ accepted: 1 });
    const all = await events();
    expect(all).toHaveLength(2);
    expect(all[1]!.payload).toMatchObject({ externalTicketId: root, externalMessageId: '<ann-2@mail.example.com>', body: 'Thanks! When will it arrive?' });
  });

  it('caps automatic handling per sender per day', async () => {
    for (let i = 1; i <= 7; i++) {
      await client.append('INBOX', mail({ from: 'robot@example.net', id: `<flood-${i}@example.net>`, subject: `Ticket ${i}`, body: `message ${i}` }));
    }
    const result = await poll();
    expect(result).toMatchObject({ fetched: 7, accepted: 5, ignored: 2 });
    expect(await flags('INBOX', '<flood-7@example.net>')).not.toContain('\\Seen');
  });

  it('tracks UIDVALIDITY: a recreated mailbox is re-read from its unseen mail', async () => {
    await client.mailboxCreate('Support');
    await client.append('Support', mail({ from: 'cy@example.com', id: '<cy-1@example.com>', subject: 'Size', body: 'Do you have size 9?' }));
    const before = await poll('Support');
    expect(before).toMatchObject({ reset: true, accepted: 1, lastUid: 1 });
    const saved = await db.knex('email_mailboxes').where({ store_id: store.id, mailbox: 'Support' }).first();
    expect(saved).toMatchObject({ uidvalidity: before.uidValidity });
    expect(Number(saved.last_uid)).toBe(1);

    await client.mailboxDelete('Support');
    await client.mailboxCreate('Support');
    await client.append('Support', mail({ from: 'cy@example.com', id: '<cy-1@example.com>', subject: 'Size', body: 'Do you have size 9?' }));
    await client.append('Support', mail({ from: 'cy@example.com', id: '<cy-2@example.com>', subject: 'Colour', body: 'And in blue?' }));
    const after = await poll('Support');
    expect(after.uidValidity).not.toBe(before.uidValidity);
    expect(after).toMatchObject({ reset: true, fetched: 2, accepted: 1, duplicates: 1, lastUid: 2 });

    await client.append('Support', mail({ from: 'cy@example.com', id: '<cy-3@example.com>', subject: 'Thanks', body: 'Ordered.' }));
    expect(await poll('Support')).toMatchObject({ reset: false, fetched: 1, accepted: 1, lastUid: 3 });
    const cy = (await events()).filter((e) => e.payload.customerEmail === 'cy@example.com');
    expect(cy.map((e) => e.payload.externalMessageId)).toEqual(['<cy-1@example.com>', '<cy-2@example.com>', '<cy-3@example.com>']);
  });

  it('moves processed mail to the configured folder', async () => {
    const other = await createStore(db.knex, { slug: 'movershop', name: 'Mover' });
    await saveCredentials(db.knex, ctx.encryptionKey, {
      storeId: other.id,
      kind: 'email',
      secrets: { imap: { host: imap.host, port: imap.port, secure: false, user: 'orders@shop.test', pass: 'imap-secret-2' } },
      meta: { fromAddress: 'orders@shop.test', processedMailbox: 'Processed' },
    });
    const c2 = new ImapFlow({ ...imap.clientOptions('orders@shop.test'), logger: false });
    await c2.connect();
    try {
      await c2.mailboxCreate('Processed');
      await c2.append('INBOX', mail({ from: 'dee@example.com', id: '<dee-1@example.com>', subject: 'Hi', body: 'Question' }));
      await c2.append('INBOX', fixture('list.eml'));
      const result = await pollMailbox(ctx, { storeId: other.id, settings: await resolveEmailSettings(ctx, other) });
      expect(result).toMatchObject({ accepted: 1, ignored: 1 });
      const count = async (box: string) => {
        const status = await c2.status(box, { messages: true });
        return status ? status.messages : null;
      };
      expect(await count('INBOX')).toBe(1); // the list mail stays
      expect(await count('Processed')).toBe(1);
    } finally {
      await c2.logout();
    }
  });

  it('mail read while Redis refuses jobs is recorded and flagged; the lost-job recovery gives it its job', async () => {
    // The poll records every mail first and enqueues afterwards: a failed enqueue loses nothing.
    const redis = await startPrivateRedis();
    const offline = await createTestContext(db, { REDIS_URL: redis.url });
    try {
      await redis.kill();
      const id = '<while-redis-down@example.com>';
      await client.append('INBOX', mail({ from: 'Dee <dee@example.com>', id, subject: 'Exchange', body: 'Can I exchange the boots from #W2378156?' }));
      await expect(pollMailbox(offline, { storeId: store.id, settings })).rejects.toMatchObject({ name: 'RetryableError' });
      const row = await db.knex('inbound_events').where({ store_id: store.id, idempotency_key: `email:${id}` }).first();
      expect(row.status).toBe('received'); // recorded, no job yet
      expect(await flags('INBOX', id)).toContain('\\Seen'); // not read again: it is recorded

      await redis.start();
      await expect.poll(() => offline.redis.ping().catch(() => null), { timeout: 10_000 }).toBe('PONG');
      const pass = await recoverLostJobs(offline, { olderThanMs: 0 });
      expect(pass.requeued).toContain(row.id);
      expect(await offline.queues.queue('inbound.process').getJob(`ie-${row.id}`)).toBeTruthy();
      expect((await db.knex('inbound_events').where({ id: row.id }).first()).status).toBe('queued');
    } finally {
      await offline.close();
      await redis.close();
    }
  });

  it('a wrong IMAP password fails the poll without retrying', async () => {
    const bad = { ...settings, imap: { ...settings.imap!, pass: 'wrong' } };
    await expect(pollMailbox(ctx, { storeId: store.id, settings: bad })).rejects.toMatchObject({ name: 'PermanentError' });
  });
});
