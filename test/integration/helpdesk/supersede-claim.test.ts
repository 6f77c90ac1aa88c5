import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketMessage } from '../../../connectors/types.js';
import { claimNewest, messagesWithEvents } from '../../../src/delivery/supersede.js';
import type { InboundMessageEvent } from '../../../src/domain/events.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { loadDemoStore } from '../../helpers/stores.js';

// The older message's job takes a newer message whose webhook never came (src/delivery/supersede.ts):
// against the real database, the race with a webhook that comes at that moment, and a retry.
let db: TestDb;
let storeId: string;
beforeAll(async () => {
  db = await createTestDb();
  storeId = (await loadDemoStore(db.knex)).id;
}, 60_000);
afterAll(async () => db?.close());

const event = (ticket: string, messageId: string): InboundMessageEvent =>
  ({ kind: 'customer_message', channel: 'zendesk', externalTicketId: ticket, externalMessageId: messageId, body: 'Hi', receivedAt: new Date().toISOString() }) as unknown as InboundMessageEvent;
const newest: TicketMessage = { id: '2', author: 'customer', authorId: 'c', body: 'Where is my order?', public: true, createdAt: new Date(Date.now() - 300_000).toISOString() };
const record = async (key: string, payload: unknown) =>
  (await db.knex('inbound_events').insert({ store_id: storeId, source: 'zendesk', idempotency_key: key, event_type: 'customer_message', payload: JSON.stringify(payload), status: 'queued' }).returning('id'))[0].id as string;
const claim = (ticket: string, inboundEventId: string) =>
  claimNewest(db.knex, { storeId, source: 'zendesk', key: `zendesk:acme:${ticket}:1`, eventType: 'customer_message', event: event(ticket, '1'), newest, inboundEventId });

describe('taking a newer message whose webhook never came', () => {
  it('records it answered under its webhook key, and a retry of the same job takes it again', async () => {
    const first = await record('zendesk:acme:501:1', event('501', '1'));
    expect(await claim('501', first)).toBe(true);
    const row = await db.knex('inbound_events').where({ store_id: storeId, idempotency_key: 'zendesk:acme:501:2' }).first();
    expect(row).toMatchObject({ status: 'skipped', skip_reason: 'answered_with_earlier' });
    expect(row.payload).toMatchObject({ externalMessageId: '2', body: 'Where is my order?', answeredBy: first });
    expect(await claim('501', first)).toBe(true);
    // Its own claim does not count as the newer message's webhook: the retry answers, not supersedes.
    expect(await messagesWithEvents(db.knex, { storeId, source: 'zendesk', key: 'zendesk:acme:501:1', messageId: '1', candidates: [newest], inboundEventId: first })).toEqual(new Set());
  });

  it('loses to the webhook that came meanwhile: that job answers both', async () => {
    const first = await record('zendesk:acme:502:1', event('502', '1'));
    await record('zendesk:acme:502:2', event('502', '2'));
    expect(await claim('502', first)).toBe(false);
    expect(await db.knex('inbound_events').where({ store_id: storeId, idempotency_key: 'zendesk:acme:502:2' }).first()).toMatchObject({ status: 'queued', skip_reason: null });
    expect(await messagesWithEvents(db.knex, { storeId, source: 'zendesk', key: 'zendesk:acme:502:1', messageId: '1', candidates: [newest], inboundEventId: first })).toEqual(new Set(['2']));
  });

  it('a job that did not take it finds it taken by another', async () => {
    const first = await record('zendesk:acme:503:1', event('503', '1'));
    const other = await record('zendesk:acme:503:0', event('503', '0'));
    expect(await claim('503', first)).toBe(true);
    expect(await claimNewest(db.knex, { storeId, source: 'zendesk', key: 'zendesk:acme:503:0', eventType: 'customer_message', event: event('503', '0'), newest, inboundEventId: other })).toBe(false);
  });
});
