import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEmailTicket } from '../../../connectors/email/email.ticket.js';
import { burstOf } from '../../../src/delivery/burst.js';
import { guard } from '../../../src/delivery/guard.js';
import type { InboundMessageEvent } from '../../../src/domain/events.js';
import { toStore, type Store } from '../../../src/store/stores.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { loadDemoStore } from '../../helpers/stores.js';

// An email thread as the guard and the burst see it: our conversation plus the thread's mail no
// turn has recorded yet, in the order the customer sent it.
describe('the email ticket: recorded messages and mail still waiting', () => {
  let db: TestDb;
  let store: Store;
  const ROOT = '<root@customer.example>';
  const start = Date.now() - 3600_000;
  const at = (minute: number) => new Date(start + minute * 60_000).toISOString();

  const event = (id: string, minute: number, status: string, extra: Record<string, unknown> = {}) => ({
    store_id: store.id,
    source: 'email',
    idempotency_key: `email:${id}`,
    event_type: 'customer_message',
    status,
    received_at: at(minute),
    payload: JSON.stringify({
      kind: 'customer_message',
      channel: 'email',
      externalTicketId: ROOT,
      externalMessageId: id,
      customerEmail: 'ann@customer.example',
      body: `mail ${id}`,
      receivedAt: at(minute),
      meta: {},
    }),
    ...extra,
  });
  const inbound = (id: string, minute: number): InboundMessageEvent => ({
    kind: 'customer_message',
    channel: 'email',
    externalTicketId: ROOT,
    externalMessageId: id,
    customerEmail: 'ann@customer.example',
    customerName: null,
    subject: null,
    body: `mail ${id}`,
    receivedAt: at(minute),
  });
  const ticket = () => readEmailTicket(db.knex, store.id, { externalTicketId: ROOT });

  beforeAll(async () => {
    db = await createTestDb();
    store = toStore(await loadDemoStore(db.knex));
  }, 60_000);
  afterAll(async () => db?.close());

  it('shows mail whose job has not run, before any conversation exists', async () => {
    await db.knex('inbound_events').insert([event('<m1@c>', 1, 'queued'), event('<m2@c>', 2, 'processing')]);
    const t = await ticket();
    expect(t.status).toBe('new');
    expect(t.messages.map((m) => [m.id, m.author, m.body])).toEqual([
      ['<m1@c>', 'customer', 'mail <m1@c>'],
      ['<m2@c>', 'customer', 'mail <m2@c>'],
    ]);
    // The older mail's job leaves it to the newer one, which answers both.
    expect(guard({ store, event: inbound('<m1@c>', 1), ticket: t, autoRepliesToday: 0, covered: new Set() })).toEqual({ ok: false, reason: 'superseded' });
    expect(guard({ store, event: inbound('<m2@c>', 2), ticket: t, autoRepliesToday: 0, covered: new Set() })).toEqual({ ok: true });
    expect(burstOf(t, inbound('<m2@c>', 2), new Set())).toEqual({ text: 'mail <m1@c>\n\nmail <m2@c>', covers: ['<m1@c>', '<m2@c>'] });
  });

  it('places a customer message by when it arrived, not when its late job recorded it', async () => {
    await db.knex('inbound_events').where({ idempotency_key: 'email:<m1@c>' }).update({ status: 'skipped', skip_reason: 'superseded' });
    // <m2@c>'s turn ran at 9:30 (a backlog) and answered both; <m3@c> arrived at 9:10, during it.
    const [conv] = await db.knex('conversations').insert({ store_id: store.id, channel: 'email', external_id: ROOT, customer_email: 'ann@customer.example' }, ['id']);
    await db.knex('messages').insert([
      { store_id: store.id, conversation_id: conv.id, role: 'user', content: 'mail <m1@c>\n\nmail <m2@c>', external_id: '<m2@c>', created_at: at(30), metadata: JSON.stringify({ turnKey: 'ie-2', covers: ['<m1@c>', '<m2@c>'], receivedAt: at(2) }) },
      { store_id: store.id, conversation_id: conv.id, role: 'assistant', content: 'Your parcel is on its way.', external_id: '<reply@shop>', delivery: 'public', status: 'sent', created_at: at(31) },
    ]);
    await db.knex('inbound_events').where({ idempotency_key: 'email:<m2@c>' }).update({ status: 'processed' });
    await db.knex('inbound_events').insert(event('<m3@c>', 10, 'queued'));
    const t = await ticket();
    expect(t.status).toBe('open');
    expect(t.messages.map((m) => [m.id, m.author])).toEqual([
      ['<m1@c>', 'customer'], // superseded, answered with <m2@c>
      ['<m2@c>', 'customer'],
      ['<m3@c>', 'customer'],
      ['<reply@shop>', 'bot'],
    ]);
    // The reply went out after <m3@c> arrived, but it answered <m1@c> and <m2@c> only.
    const covered = new Set(['<m1@c>', '<m2@c>']);
    expect(guard({ store, event: inbound('<m3@c>', 10), ticket: t, autoRepliesToday: 1, covered })).toEqual({ ok: true });
    expect(burstOf(t, inbound('<m3@c>', 10), covered)).toEqual({ text: 'mail <m3@c>', covers: ['<m3@c>'] });
  });

  it('shows each message once, leaves out finished mail and other threads', async () => {
    await db.knex('inbound_events').where({ idempotency_key: 'email:<m3@c>' }).update({ status: 'processing' });
    await db.knex('messages').insert({ store_id: store.id, conversation_id: (await db.knex('conversations').where({ external_id: ROOT }).first()).id, role: 'user', content: 'mail <m3@c>', external_id: '<m3@c>', metadata: JSON.stringify({ turnKey: 'ie-3', receivedAt: at(10) }) });
    await db.knex('inbound_events').insert([
      event('<other@c>', 11, 'queued', { payload: JSON.stringify({ channel: 'email', externalTicketId: '<another-thread@c>', externalMessageId: '<other@c>', body: 'x', receivedAt: at(11) }) }),
      event('<cap@c>', 12, 'skipped', { skip_reason: 'reply_cap_reached' }),
    ]);
    const ids = (await ticket()).messages.map((m) => m.id);
    expect(ids).toEqual(['<m1@c>', '<m2@c>', '<m3@c>', '<reply@shop>']);
  });
});
