import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveThread } from '../../../connectors/email/email.threading.js';
import type { InboundEmail } from '../../../connectors/email/email.types.js';
import { createStore, type Store } from '../../../src/store/stores.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';

let db: TestDb;
let store: Store;
let other: Store;
const NOW = new Date('2026-11-21T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 24 * 3600 * 1000);

const email = (over: Partial<InboundEmail>): InboundEmail => ({
  messageId: '<new@example.com>',
  inReplyTo: null,
  references: [],
  subject: 'Something else',
  from: { address: 'ann@example.com', name: null },
  to: [],
  cc: [],
  date: null,
  headers: {},
  text: '',
  providerStrippedText: null,
  attachments: [],
  contentHash: '0'.repeat(64),
  ...over,
});

beforeAll(async () => {
  db = await createTestDb();
  store = await createStore(db.knex, { slug: 'thr', name: 'Thr' });
  other = await createStore(db.knex, { slug: 'thr2', name: 'Thr2' });
  const [conv] = await db.knex('conversations')
    .insert({ store_id: store.id, channel: 'email', external_id: '<root@example.com>', customer_email: 'ann@example.com', subject: 'Where is my order?', updated_at: daysAgo(3) })
    .returning('id');
  await db.knex('messages').insert({ store_id: store.id, conversation_id: conv.id, role: 'assistant', content: 'A', external_id: '<hsb.stored@shop.test>' });
  await db.knex('email_outbound').insert({ store_id: store.id, message_id: '<hsb.logged@shop.test>', thread_root: '<root@example.com>', idempotency_key: 'reply:x', kind: 'reply' });
  await db.knex('conversations').insert({ store_id: store.id, channel: 'email', external_id: '<old@example.com>', customer_email: 'ann@example.com', subject: 'Refund', updated_at: daysAgo(20) });
  await db.knex('conversations').insert({ store_id: other.id, channel: 'email', external_id: '<foreign@example.com>', customer_email: 'ann@example.com', subject: 'Exchange', updated_at: daysAgo(1) });
});

afterAll(async () => {
  await db?.close();
});

describe('resolveThread', () => {
  it.each([
    ['In-Reply-To = the conversation root', { inReplyTo: '<root@example.com>' }, '<root@example.com>', 'header'],
    ['In-Reply-To = our reply stored in messages', { inReplyTo: '<hsb.stored@shop.test>' }, '<root@example.com>', 'header'],
    ['In-Reply-To = our reply in the outbound log only', { inReplyTo: '<hsb.logged@shop.test>' }, '<root@example.com>', 'header'],
    ['References whose last id is known', { references: ['<unknown@x>', '<hsb.logged@shop.test>'] }, '<root@example.com>', 'header'],
    ['same sender, same subject within 14 days', { subject: 'RE: Where is my order?' }, '<root@example.com>', 'subject'],
    ['same subject, but 20 days old', { subject: 'Re: Refund' }, '<new@example.com>', 'new'],
    ['same subject from another sender', { subject: 'Re: Where is my order?', from: { address: 'eve@example.com', name: null } }, '<new@example.com>', 'new'],
    ["another store's thread", { inReplyTo: '<foreign@example.com>', subject: 'Exchange' }, '<foreign@example.com>', 'new'],
    ['unknown References: their first id becomes the root', { references: ['<r1@x>', '<r2@x>'], inReplyTo: '<r2@x>' }, '<r1@x>', 'new'],
  ] as const)('%s', async (_name, over, root, matchedBy) => {
    const found = await resolveThread(db.knex, store.id, email(over as Partial<InboundEmail>), NOW);
    expect(found).toMatchObject({ threadRoot: root, matchedBy });
  });
});

describe('resolveThread with mail not answered yet', () => {
  // Ann's first mail is recorded but its job has not run (a busy queue, a reply delay): no
  // conversation, no message. What she sends next still belongs to its thread.
  beforeAll(async () => {
    const waiting = (key: string, root: string, subject: string, status: string, from = 'Ann@Example.com') => ({
      store_id: store.id,
      source: 'email',
      idempotency_key: `email:${key}`,
      event_type: 'customer_message',
      status,
      payload: JSON.stringify({ channel: 'email', externalTicketId: root, externalMessageId: key, customerEmail: from, subject, body: 'x' }),
    });
    await db.knex('inbound_events').insert([
      waiting('<first@example.com>', '<thread-a@example.com>', 'Damaged parcel', 'queued'),
      waiting('<done@example.com>', '<thread-b@example.com>', 'Gift card', 'processed'),
      waiting('<eve1@example.com>', '<thread-c@example.com>', 'Wrong size', 'queued', 'eve@example.com'),
    ]);
  });

  it.each([
    ['In-Reply-To = her own mail still waiting', { inReplyTo: '<first@example.com>' }, '<thread-a@example.com>', 'header'],
    ['same subject as her mail still waiting', { subject: 'Re: damaged parcel' }, '<thread-a@example.com>', 'subject'],
    ['same subject as a mail already answered (no conversation kept): new', { subject: 'Gift card' }, '<new@example.com>', 'new'],
    ["same subject as another sender's waiting mail: new", { subject: 'Wrong size' }, '<new@example.com>', 'new'],
  ] as const)('%s', async (_name, over, root, matchedBy) => {
    const found = await resolveThread(db.knex, store.id, email(over as Partial<InboundEmail>), NOW);
    expect(found).toMatchObject({ threadRoot: root, matchedBy, conversationId: null });
  });
});
