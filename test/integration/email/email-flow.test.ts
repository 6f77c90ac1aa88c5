import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSmtpTransports, runEmailPoll } from '../../../connectors/email/index.js';
import type { AppContext } from '../../../src/app/context.js';
import { parseSettings } from '../../../src/domain/settings.js';
import { updateStoreSettings, type Store } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { dovecotAvailable, startImapServer, type ImapTestServer } from '../../helpers/imap-server.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';
import { loadDemoStore } from '../../helpers/stores.js';
import { startTestWorkers, waitForEvent } from '../../helpers/workers.js';

// The email channel end to end: a real IMAP server (Dovecot) holds the support mailbox, the poller
// reads it, real workers run the pipeline, and a real SMTP server on loopback receives the reply.
const SUPPORT = 'support@shop.test';
const ORDER = '#W2611340'; // in transit, tracking 357962501027

describe.skipIf(!dovecotAvailable)('email: a customer writes to the support mailbox', () => {
  let imap: ImapTestServer;
  let sink: SmtpSink;
  let db: TestDb;
  let ctx: AppContext;
  let store: Store;
  let workers: Awaited<ReturnType<typeof startTestWorkers>>;
  let client: ImapFlow;
  let customer: { email: string; name: string };

  const mail = (id: string, subject: string, body: string, extra = '') =>
    `From: ${customer.name} <${customer.email}>\r\nTo: ${SUPPORT}\r\nSubject: ${subject}\r\nMessage-ID: ${id}\r\nDate: ${new Date().toUTCString()}\r\n${extra}Content-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;

  /**
   * Mails sent in a row (ids `<k@customer.example>`, oldest first) were answered as one: every
   * earlier one superseded, the newest processed, and exactly one reply, to the newest.
   */
  const expectOneReplyToNewest = async (keys: string[], repliesBefore: number) => {
    const events = await Promise.all(keys.map((k) => waitForEvent(ctx, { store_id: store.id, idempotency_key: `email:<${k}@customer.example>` })));
    expect(events.map((e) => [e.status, e.skip_reason])).toEqual(keys.map((_, i) => (i < keys.length - 1 ? ['skipped', 'superseded'] : ['processed', null])));
    const replies = await sink.waitFor(repliesBefore + 1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.messages).toHaveLength(repliesBefore + 1);
    const reply = replies[repliesBefore]!;
    expect(reply.headers['in-reply-to']).toBe(`<${keys.at(-1)}@customer.example>`);
    return reply;
  };

  beforeAll(async () => {
    imap = await startImapServer([{ user: SUPPORT, pass: 'secret' }]);
    sink = await startSmtpSink();
    db = await createTestDb();
    ctx = await createTestContext(db, {
      EMAIL_FROM: SUPPORT,
      SMTP_URL: sink.url,
      IMAP_HOST: '127.0.0.1',
      IMAP_PORT: String(imap.port),
      IMAP_SECURE: 'false',
      IMAP_USER: SUPPORT,
      IMAP_PASSWORD: 'secret',
    });
    const demo = await loadDemoStore(db.knex);
    store = await updateStoreSettings(db.knex, demo.id, parseSettings({ ...demo.settings, modes: { default: 'auto' }, confidence_threshold: 0.5 }));
    const order = await db.knex('orders').where({ order_number: ORDER }).first();
    customer = { email: order.email, name: order.customer_name };
    workers = await startTestWorkers(ctx);
    client = new ImapFlow({ ...imap.clientOptions(), logger: false });
    await client.connect();
  }, 60_000);

  afterAll(async () => {
    await client?.logout().catch(() => {});
    await workers?.stop();
    closeSmtpTransports();
    await sink?.stop();
    await ctx?.close();
    await db?.close();
    await imap?.stop();
  });

  it('gets one threaded reply with the real order status; polling again sends nothing more', async () => {
    await client.append('INBOX', mail('<q1@customer.example>', `Where is my order ${ORDER}?`, `Hi,\n\nwhere is my order ${ORDER}?\n\nThanks,\n${customer.name}`));
    await runEmailPoll(ctx, { storeId: store.id });
    await waitForEvent(ctx, { store_id: store.id, idempotency_key: 'email:<q1@customer.example>' });
    const [reply] = await sink.waitFor(1);
    expect(reply!.parsed.subject).toBe(`Re: Where is my order ${ORDER}?`);
    expect(reply!.headers['in-reply-to']).toBe('<q1@customer.example>');
    expect(String(reply!.headers.references)).toContain('<q1@customer.example>');
    expect(reply!.headers['auto-submitted']).toBe('auto-replied');
    expect(reply!.parsed.from?.text).toContain(SUPPORT);
    expect(reply!.parsed.text).toContain('357962501027');
    expect(reply!.parsed.text).toMatch(/shipped|on its way/);

    // The same message read again (state lost, flags cleared): still one reply.
    await db.knex('email_mailboxes').where({ store_id: store.id }).delete();
    const lock = await client.getMailboxLock('INBOX');
    try {
      await client.messageFlagsRemove('1:*', ['\\Seen']);
    } finally {
      lock.release();
    }
    await runEmailPoll(ctx, { storeId: store.id });
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.messages).toHaveLength(1);
  });

  it('continues the same conversation when the customer answers our reply', async () => {
    const first = sink.messages[0]!;
    await client.append('INBOX', mail('<q2@customer.example>', `Re: Where is my order ${ORDER}?`, 'And when will it arrive?', `In-Reply-To: ${first.parsed.messageId}\r\nReferences: <q1@customer.example> ${first.parsed.messageId}\r\n`));
    await runEmailPoll(ctx, { storeId: store.id });
    await waitForEvent(ctx, { store_id: store.id, idempotency_key: 'email:<q2@customer.example>' });
    const conversations = await db.knex('conversations').where({ store_id: store.id, channel: 'email' });
    expect(conversations).toHaveLength(1);
    const replies = await sink.waitFor(2);
    expect(replies[1]!.headers['in-reply-to']).toBe('<q2@customer.example>');
    expect(String(replies[1]!.headers.references)).toContain('<q1@customer.example>');
  });

  it('answers two emails sent in a row with one reply that covers both (reply delay)', async () => {
    store = await updateStoreSettings(db.knex, store.id, parseSettings({ ...store.settings, reply_delay_s: 1 }));
    const before = sink.messages.length;
    await client.append('INBOX', mail('<b1@customer.example>', 'My parcel', 'Hi, I have a question about my parcel.'));
    await client.append('INBOX', mail('<b2@customer.example>', 'Re: My parcel', `Sorry, forgot the number: ${ORDER}. Where is it?`, 'In-Reply-To: <b1@customer.example>\r\nReferences: <b1@customer.example>\r\n'));
    await runEmailPoll(ctx, { storeId: store.id });
    const reply = await expectOneReplyToNewest(['b1', 'b2'], before);
    expect(reply.parsed.text).toContain('357962501027');
    // One conversation holds both: the customer message recorded for the turn says what it answered.
    const [conv] = await db.knex('conversations').where({ store_id: store.id, channel: 'email', external_id: '<b1@customer.example>' });
    const users = await db.knex('messages').where({ conversation_id: conv.id, role: 'user' });
    expect(users).toHaveLength(1);
    expect(users[0].content).toContain('question about my parcel');
    expect(users[0].metadata.covers).toEqual(['<b1@customer.example>', '<b2@customer.example>']);
    store = await updateStoreSettings(db.knex, store.id, parseSettings({ ...store.settings, reply_delay_s: 0 }));
  });

  it('mail read in the same poll is answered together, with no reply delay', async () => {
    const before = sink.messages.length;
    await client.append('INBOX', mail('<p1@customer.example>', 'Parcel question', 'Hi, I have a question about my parcel.'));
    await client.append('INBOX', mail('<p2@customer.example>', 'Re: Parcel question', `It is order ${ORDER}. Where is it?`, 'In-Reply-To: <p1@customer.example>\r\n'));
    await runEmailPoll(ctx, { storeId: store.id });
    await expectOneReplyToNewest(['p1', 'p2'], before);
  });

  it('after a backlog, mail that waited together gets one reply: by In-Reply-To and by subject', async () => {
    await workers.stop(); // the workers are down (a deploy, an outage) while mail comes in
    const before = sink.messages.length;
    await client.append('INBOX', mail('<k1@customer.example>', 'Jacket order', 'Hello'));
    await client.append('INBOX', mail('<k2@customer.example>', 'Re: Jacket order', 'I ordered a jacket two weeks ago.', 'In-Reply-To: <k1@customer.example>\r\n'));
    await client.append('INBOX', mail('<k3@customer.example>', 'Jacket order', `It is order ${ORDER}. Where is it?`));
    await runEmailPoll(ctx, { storeId: store.id });
    workers = await startTestWorkers(ctx);
    const reply = await expectOneReplyToNewest(['k1', 'k2', 'k3'], before);
    expect(reply.parsed.text).toContain('357962501027');
    const [conv] = await db.knex('conversations').where({ store_id: store.id, channel: 'email', external_id: '<k1@customer.example>' });
    const [user] = await db.knex('messages').where({ conversation_id: conv.id, role: 'user' });
    expect(user.metadata.covers).toEqual(['<k1@customer.example>', '<k2@customer.example>', '<k3@customer.example>']);
  });

  it('answers no out-of-office, bounce or mailing-list message', async () => {
    const before = sink.messages.length;
    await client.append('INBOX', mail('<ooo@customer.example>', 'Out of office', 'I am away until Monday.', 'Auto-Submitted: auto-replied\r\n'));
    await client.append('INBOX', `From: MAILER-DAEMON@mx.example\r\nTo: ${SUPPORT}\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <bounce1@mx.example>\r\nReturn-Path: <>\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n`);
    await client.append('INBOX', mail('<list1@lists.example>', 'Weekly deals', 'Big sale!', 'List-Id: <deals.lists.example>\r\nPrecedence: list\r\n'));
    await runEmailPoll(ctx, { storeId: store.id });
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.messages).toHaveLength(before);
    const keys = (await db.knex('inbound_events').where({ store_id: store.id }).select('idempotency_key')).map((r) => r.idempotency_key);
    expect(keys).not.toContain('email:<ooo@customer.example>');
    expect(keys).not.toContain('email:<bounce1@mx.example>');
  });
});
