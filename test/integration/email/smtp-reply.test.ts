import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { createEmailConnector } from '../../../connectors/email/email.factory.js';
import { closeSmtpTransports } from '../../../connectors/email/email.smtp.js';
import type { EmailConnector } from '../../../connectors/email/email.connector.js';
import { PermanentError, RetryableError } from '../../../src/errors.js';
import { saveCredentials } from '../../../src/store/credentials.js';
import { createStore, type Store } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { freePort } from '../../helpers/imap-server.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

let db: TestDb;
let ctx: AppContext;
let sink: SmtpSink;
let store: Store;
let bare: Store;
let connector: EmailConnector;

const ROOT = '<CAF1a2b3c4.order-question@mail.example.com>';
/** The meta the poller/webhook put on the event (EmailEventMeta), as the pipeline passes it back. */
const firstMessageMeta = {
  source: 'imap',
  messageId: ROOT,
  inReplyTo: null,
  references: [],
  subject: 'Where is my order #W2378156?',
  from: 'ann.lee@example.com',
  to: ['support@shop.test'],
  date: null,
  attachments: [],
};

async function connectStore(s: Store, port: number) {
  await saveCredentials(ctx.db, ctx.encryptionKey, {
    storeId: s.id,
    kind: 'email',
    secrets: { smtp: { host: '127.0.0.1', port, secure: false } },
    meta: { fromAddress: 'support@shop.test', fromName: 'Shop Support', addresses: ['help@shop.test'] },
  });
}

beforeAll(async () => {
  db = await createTestDb();
  ctx = await createTestContext(db);
  sink = await startSmtpSink({ rejectRecipients: ['gone@example.com'] });
  store = await createStore(db.knex, {
    slug: 'mailshop',
    name: 'Mail Shop',
    settings: { escalation: { zendesk: {}, gorgias: {}, email: { forwardTo: 'team@shop.test' } } },
  });
  bare = await createStore(db.knex, { slug: 'bare', name: 'Bare' });
  await connectStore(store, sink.port);
  await connectStore(bare, sink.port);
  connector = await createEmailConnector(ctx, store);
});

afterAll(async () => {
  closeSmtpTransports();
  await sink?.stop();
  await ctx?.close();
  await db?.close();
});

beforeEach(() => {
  sink.messages.length = 0;
});

describe('postReply public over real SMTP', () => {
  it('sends one threaded, automatic-marked reply from the store address', async () => {
    const ref = { externalTicketId: ROOT, meta: firstMessageMeta };
    const { externalId } = await connector.postReply(
      ref,
      { body: 'Hi Ann, order #W2378156 is in transit.', visibility: 'public' },
      { idempotencyKey: 'reply:t1' },
    );
    const [mail] = await sink.waitFor(1);
    expect(mail!.envelope).toEqual({ from: 'support@shop.test', to: ['ann.lee@example.com'] });
    expect(mail!.parsed.from?.value).toEqual([{ address: 'support@shop.test', name: 'Shop Support' }]);
    expect(mail!.parsed.subject).toBe('Re: Where is my order #W2378156?');
    expect(mail!.headers['in-reply-to']).toBe(ROOT);
    expect(mail!.headers.references).toBe(ROOT);
    expect(mail!.headers['auto-submitted']).toBe('auto-replied');
    expect(mail!.headers['x-auto-response-suppress']).toBe('All');
    expect(mail!.headers['x-hsb-key']).toBe('reply:t1');
    expect(mail!.parsed.messageId).toBe(externalId);
    expect(externalId).toMatch(/^<hsb\.[0-9a-f]{32}@shop\.test>$/);
    expect(mail!.parsed.text?.trim()).toBe('Hi Ann, order #W2378156 is in transit.');
  });

  it('sends nothing again for the same idempotency key, and returns the same Message-ID', async () => {
    const ref = { externalTicketId: ROOT, meta: firstMessageMeta };
    const first = await connector.postReply(ref, { body: 'once', visibility: 'public' }, { idempotencyKey: 'reply:t2' });
    const again = await connector.postReply(ref, { body: 'once', visibility: 'public' }, { idempotencyKey: 'reply:t2' });
    expect(again).toEqual(first);
    // A later, different mail arrives as the second one: the retry did not send.
    await connector.postReply(ref, { body: 'other', visibility: 'public' }, { idempotencyKey: 'reply:t3' });
    const mails = await sink.waitFor(2);
    expect(mails.map((m) => m.headers['x-hsb-key'])).toEqual(['reply:t2', 'reply:t3']);
    expect(await connector.findWrite({ externalTicketId: ROOT }, { idempotencyKey: 'reply:t2' })).toEqual(first);
    expect(await connector.findWrite({ externalTicketId: ROOT }, { idempotencyKey: 'reply:never' })).toBeNull();
  });

  it("answers a follow-up with the whole chain in References", async () => {
    const meta = { ...firstMessageMeta, messageId: '<c2@mail.example.com>', inReplyTo: '<hsb.aaa@shop.test>', references: [ROOT, '<hsb.aaa@shop.test>'], subject: 'Re: Where is my order #W2378156?' };
    await connector.postReply({ externalTicketId: ROOT, meta }, { body: 'Follow-up answer', visibility: 'public' }, { idempotencyKey: 'reply:t4' });
    const [mail] = await sink.waitFor(1);
    expect(mail!.headers['in-reply-to']).toBe('<c2@mail.example.com>');
    expect(mail!.headers.references).toBe(`${ROOT} <hsb.aaa@shop.test> <c2@mail.example.com>`);
    expect(mail!.parsed.subject).toBe('Re: Where is my order #W2378156?');
  });

  it('a draft sends nothing (the pipeline keeps it for approval)', async () => {
    const res = await connector.postReply({ externalTicketId: ROOT, meta: firstMessageMeta }, { body: 'draft', visibility: 'draft' }, { idempotencyKey: 'note:t5' });
    expect(res.externalId).toMatch(/^draft:/);
    await connector.postReply({ externalTicketId: ROOT, meta: firstMessageMeta }, { body: 'marker', visibility: 'public' }, { idempotencyKey: 'reply:t5m' });
    const mails = await sink.waitFor(1);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.headers['x-hsb-key']).toBe('reply:t5m');
  });

  it('an approved draft (no event meta) is threaded from our tables', async () => {
    const [conv] = await db.knex('conversations')
      .insert({ store_id: store.id, channel: 'email', external_id: '<root-ap@mail.example.com>', customer_email: 'bob@example.com', subject: 'Refund' })
      .returning('id');
    await db.knex('messages').insert([
      { store_id: store.id, conversation_id: conv.id, role: 'user', content: 'refund?', external_id: '<root-ap@mail.example.com>', created_at: new Date(Date.now() - 60_000) },
      { store_id: store.id, conversation_id: conv.id, role: 'user', content: 'any news?', external_id: '<c2-ap@mail.example.com>' },
    ]);
    await connector.postReply({ externalTicketId: '<root-ap@mail.example.com>' }, { body: 'Approved reply', visibility: 'public' }, { idempotencyKey: 'reply:ap1' });
    const [mail] = await sink.waitFor(1);
    expect(mail!.envelope.to).toEqual(['bob@example.com']);
    expect(mail!.parsed.subject).toBe('Re: Refund');
    expect(mail!.headers['in-reply-to']).toBe('<c2-ap@mail.example.com>');
    expect(mail!.headers.references).toBe('<root-ap@mail.example.com> <c2-ap@mail.example.com>');
  });

  it('refuses to mail the store itself', async () => {
    const meta = { ...firstMessageMeta, from: 'help@shop.test' };
    await expect(
      connector.postReply({ externalTicketId: ROOT, meta }, { body: 'x', visibility: 'public' }, { idempotencyKey: 'reply:own' }),
    ).rejects.toBeInstanceOf(PermanentError);
  });

  it('a 550 from the server is permanent; an unreachable server is retryable', async () => {
    const meta = { ...firstMessageMeta, from: 'gone@example.com' };
    await expect(
      connector.postReply({ externalTicketId: ROOT, meta }, { body: 'x', visibility: 'public' }, { idempotencyKey: 'reply:550' }),
    ).rejects.toBeInstanceOf(PermanentError);
    const closedPort = await freePort();
    await connectStore(bare, closedPort);
    const down = await createEmailConnector(ctx, bare);
    await expect(
      down.postReply({ externalTicketId: ROOT, meta: firstMessageMeta }, { body: 'x', visibility: 'public' }, { idempotencyKey: 'reply:down' }),
    ).rejects.toBeInstanceOf(RetryableError);
    expect((await down.checkCredentials()).ok).toBe(false);
    expect(await connector.checkCredentials()).toEqual({ ok: true, message: expect.stringContaining('SMTP') });
  });
});

describe('escalate', () => {
  it('forwards a summary to the team address, replying-to the customer', async () => {
    await connector.escalate(
      { externalTicketId: ROOT, meta: firstMessageMeta },
      { note: 'Customer asks for a person.', priority: 'high', tags: ['bot:escalated'] },
      { idempotencyKey: 'escalate:t6' },
    );
    const [mail] = await sink.waitFor(1);
    expect(mail!.envelope.to).toEqual(['team@shop.test']);
    expect(mail!.parsed.subject).toBe('[Escalation] Where is my order #W2378156?');
    expect(mail!.parsed.replyTo?.value[0]?.address).toBe('ann.lee@example.com');
    expect(mail!.headers['auto-submitted']).toBe('auto-generated');
    expect(mail!.parsed.text).toContain('Customer asks for a person.');
    expect(mail!.parsed.text).toContain('Priority: high');
  });

  it('does nothing when the store has no forwarding address', async () => {
    const other = await createEmailConnector(ctx, bare);
    await other.escalate({ externalTicketId: ROOT, meta: firstMessageMeta }, { note: 'n' }, { idempotencyKey: 'escalate:t7' });
    await connector.postReply({ externalTicketId: ROOT, meta: firstMessageMeta }, { body: 'marker', visibility: 'public' }, { idempotencyKey: 'reply:t7m' });
    const mails = await sink.waitFor(1);
    expect(mails.map((m) => m.headers['x-hsb-key'])).toEqual(['reply:t7m']);
  });
});

describe('getTicket', () => {
  it('is "new" before the conversation exists', async () => {
    const t = await connector.getTicket({ externalTicketId: '<unknown@x>', meta: firstMessageMeta });
    expect(t).toMatchObject({ status: 'new', messages: [], requester: { email: 'ann.lee@example.com' }, channel: 'email' });
  });

  it.each([
    ['active', 'open', null],
    ['resolved', 'open', null],
    ['escalated', 'pending', 'email-team'],
    ['closed', 'closed', null],
  ])('a %s conversation is an %s ticket (assignee %s)', async (status, ticketStatus, assignee) => {
    const root = `<st-${status}@x>`;
    await db.knex('conversations').insert({ store_id: store.id, channel: 'email', external_id: root, status });
    const t = await connector.getTicket({ externalTicketId: root });
    expect([t.status, t.assigneeId]).toEqual([ticketStatus, assignee]);
  });

  it('reads the thread from our tables, drafts as not public', async () => {
    const [conv] = await db.knex('conversations')
      .insert({ store_id: store.id, channel: 'email', external_id: '<root-gt@x>', customer_email: 'cy@example.com', subject: 'Hello', status: 'resolved' })
      .returning('id');
    await db.knex('messages').insert([
      { store_id: store.id, conversation_id: conv.id, role: 'user', content: 'Q', external_id: '<root-gt@x>', created_at: new Date(Date.now() - 2000) },
      { store_id: store.id, conversation_id: conv.id, role: 'assistant', content: 'A', delivery: 'public', status: 'sent', external_id: '<hsb.1@shop.test>', created_at: new Date(Date.now() - 1000) },
      { store_id: store.id, conversation_id: conv.id, role: 'assistant', content: 'D', delivery: 'draft', status: 'pending_approval' },
    ]);
    const t = await connector.getTicket({ externalTicketId: '<root-gt@x>' });
    expect(t.status).toBe('open');
    expect(t.requester.email).toBe('cy@example.com');
    expect(t.messages.map((m) => [m.author, m.body, m.public])).toEqual([
      ['customer', 'Q', true],
      ['bot', 'A', true],
      ['bot', 'D', false],
    ]);
  });
});
