import { createHmac } from 'node:crypto';
import nock from 'nock';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { waitForEvent } from '../../helpers/workers.js';
import { addKey, auth } from '../api/api-helpers.js';
import {
  AGENT,
  app,
  BASE,
  comment,
  ctx,
  customerAsks,
  db,
  GROUP,
  nextTicketId,
  ORDER,
  setModes,
  SECRET,
  signedWebhook,
  store,
  text,
  ticketUpdates,
  TRACKING,
  useZendeskFlow,
  zendeskTicket,
} from './zendesk-env.js';

// Zendesk end to end (see zendesk-env.ts): replies, escalation, retries, signatures, dead deliveries.
useZendeskFlow();

describe('Zendesk: a customer ticket through the bot', () => {
  it('draft mode: exactly one internal note with the real status and tracking number', async () => {
    await setModes({ default: 'draft' });
    const id = nextTicketId();
    const t = zendeskTicket(id, [customerAsks(1, `Where is my order ${ORDER}?`)]);
    ticketUpdates(id, t.puts, [[200, {}]]);
    expect((await signedWebhook(id, 1, `Where is my order ${ORDER}?`)()).status).toBe(202);
    const ev = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(ev.status).toBe('processed');
    expect(t.puts).toHaveLength(1);
    expect(comment(t.puts[0]!)?.public).toBe(false);
    expect(text(t.puts[0]!)).toContain(TRACKING);
    expect(text(t.puts[0]!)).toMatch(/shipped|on its way/);
  });

  it('auto mode: exactly one public reply with the real status and tracking number', async () => {
    await setModes({ default: 'draft', order_status: 'auto' });
    const id = nextTicketId();
    const t = zendeskTicket(id, [customerAsks(1, `Where is my order ${ORDER}?`)]);
    ticketUpdates(id, t.puts, [[200, {}]]);
    await signedWebhook(id, 1, `Where is my order ${ORDER}?`)();
    await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(t.puts).toHaveLength(1);
    expect(comment(t.puts[0]!)?.public).toBe(true);
    expect(text(t.puts[0]!)).toContain(TRACKING);
    expect(text(t.puts[0]!)).toContain(ORDER);
  });

  it('"I want to speak to a person": reassigned to the group with a summary note, no public reply', async () => {
    await setModes({ default: 'auto' });
    const id = nextTicketId();
    const t = zendeskTicket(id, [customerAsks(1, 'I want to speak to a person, please.')]);
    ticketUpdates(id, t.puts, [[200, {}]]);
    await signedWebhook(id, 1, 'I want to speak to a person, please.')();
    await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(t.puts).toHaveLength(1);
    expect(String(t.puts[0]!.group_id)).toBe(GROUP);
    expect(comment(t.puts[0]!)?.public).toBe(false);
    expect(text(t.puts[0]!)).toMatch(/human requested|asked for a person/i);
    expect(t.puts.some((p) => comment(p)?.public === true)).toBe(false);
  });

  it('the same webhook delivered three times gives one reply', async () => {
    await setModes({ default: 'auto' });
    const id = nextTicketId();
    const t = zendeskTicket(id, [customerAsks(1, `Where is my order ${ORDER}?`)]);
    ticketUpdates(id, t.puts, [[200, {}]]);
    const send = signedWebhook(id, 1, `Where is my order ${ORDER}?`);
    const statuses = [(await send()).status, (await send()).status, (await send()).status];
    expect(statuses).toEqual([202, 200, 200]);
    await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    await new Promise((r) => setTimeout(r, 300));
    expect(t.puts).toHaveLength(1);
    expect(await db.knex('inbound_events').where({ idempotency_key: `zendesk:acme:${id}:1` })).toHaveLength(1);
  });

  it('a vendor 500 then 200 gives one reply, after the job retries', async () => {
    await setModes({ default: 'auto' });
    const id = nextTicketId();
    const t = zendeskTicket(id, [customerAsks(1, `Where is my order ${ORDER}?`)]);
    ticketUpdates(id, t.puts, [[500, { error: 'InternalError' }], [200, {}]]);
    await signedWebhook(id, 1, `Where is my order ${ORDER}?`)();
    const ev = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(ev.status).toBe('processed');
    expect(ev.attempts).toBeGreaterThanOrEqual(2);
    expect(t.puts).toHaveLength(1);
    expect(comment(t.puts[0]!)?.public).toBe(true);
  });

  it('an automatic reply is recorded as sent once: in the exactly-once ledger, on the message and on the conversation', async () => {
    await setModes({ default: 'auto' });
    const id = nextTicketId();
    const t = zendeskTicket(id, [customerAsks(1, `Where is my order ${ORDER}?`)]);
    ticketUpdates(id, t.puts, [[200, {}]]);
    await signedWebhook(id, 1, `Where is my order ${ORDER}?`)();
    const ev = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(ev.status).toBe('processed');
    expect(t.puts).toHaveLength(1);
    // The comment's id Zendesk gave (zendesk-env: 777 + the PUTs so far).
    const write = await db.knex('external_writes').where({ store_id: store.id, idempotency_key: `reply:ie-${ev.id}` }).first();
    expect(write).toMatchObject({ status: 'sent', attempts: 1, target: 'zendesk', operation: 'reply', external_id: '778', error: null });
    const reply = await db.knex('messages').where({ conversation_id: ev.conversation_id, role: 'assistant' }).first();
    expect(reply).toMatchObject({ status: 'sent', delivery: 'public', external_id: '778' });
    const conversation = await db.knex('conversations').where({ id: ev.conversation_id }).first();
    expect(conversation.first_response_at).not.toBeNull();
  });

  it('a reply already posted but never marked on its message is not posted again when its event is replayed', async () => {
    await setModes({ default: 'auto' });
    const writeKey = await addKey(db.knex, store.id, ['read', 'write']);
    const id = nextTicketId();
    const t = zendeskTicket(id, [customerAsks(1, `Where is my order ${ORDER}?`)]);
    ticketUpdates(id, t.puts, [[200, {}]]);
    await signedWebhook(id, 1, `Where is my order ${ORDER}?`)();
    const ev = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(t.puts).toHaveLength(1);
    // What a crash between the ledger's "sent" and the message's used to leave (the two were
    // separate statements before), with the event given up on: dead, replayed by hand.
    await db.knex('messages').where({ conversation_id: ev.conversation_id, role: 'assistant' }).update({ status: 'pending', external_id: null });
    await db.knex('conversations').where({ id: ev.conversation_id }).update({ first_response_at: null });
    await db.knex('inbound_events').where({ id: ev.id }).update({ status: 'dead', error: 'worker lost' });

    const res = await supertest(app).post(`/api/v1/stores/${store.id}/inbound-events/${ev.id}/retry`).set(auth(writeKey));
    expect(res.status).toBe(202);
    const replayed = await waitForEvent(ctx, { id: ev.id });
    expect(replayed.status).toBe('processed');
    expect(t.puts).toHaveLength(1);
    const reply = await db.knex('messages').where({ conversation_id: ev.conversation_id, role: 'assistant' }).first();
    expect(reply).toMatchObject({ status: 'sent', external_id: '778' });
    expect((await db.knex('conversations').where({ id: ev.conversation_id }).first()).first_response_at).not.toBeNull();
  });

  it('a 429 with Retry-After: 2 is waited out, then one reply', async () => {
    await setModes({ default: 'auto' });
    const id = nextTicketId();
    const t = zendeskTicket(id, [customerAsks(1, `Where is my order ${ORDER}?`)]);
    const started = Date.now();
    ticketUpdates(id, t.puts, [[429, { error: 'TooManyRequests' }, { 'Retry-After': '2' }], [200, {}]]);
    await signedWebhook(id, 1, `Where is my order ${ORDER}?`)();
    await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(t.puts).toHaveLength(1);
  });

  it('a bad signature gets 401 and enqueues nothing', async () => {
    const before = await ctx.queues.queue('inbound.process').count();
    const res = await supertest(app)
      .post('/webhooks/zendesk')
      .set('Content-Type', 'application/json')
      .set('X-Zendesk-Webhook-Signature', 'Zm9yZ2Vk')
      .set('X-Zendesk-Webhook-Signature-Timestamp', new Date().toISOString())
      .send(JSON.stringify({ ticket_id: '1', comment_id: '1' }));
    expect(res.status).toBe(401);
    expect(await ctx.queues.queue('inbound.process').count()).toBe(before);
  });

  it('a ticket a human answered first gets nothing from the bot', async () => {
    await setModes({ default: 'auto' });
    const id = nextTicketId();
    const t = zendeskTicket(id, [
      customerAsks(1, `Where is my order ${ORDER}?`),
      { id: 2, author_id: AGENT, body: 'Looking into it now!', public: true, created_at: new Date().toISOString() },
    ]);
    await signedWebhook(id, 1, `Where is my order ${ORDER}?`)();
    const ev = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(ev.status).toBe('skipped');
    expect(ev.skip_reason).toBe('human_replied');
    expect(t.puts).toHaveLength(0);
  });
});

describe('Zendesk: dead deliveries are listed and replayed once the cause is fixed', () => {
  it('a ticket refused by Zendesk (expired token) is dead, listed, and answered once when retried', async () => {
    await setModes({ default: 'draft', order_status: 'auto' });
    const readKey = await addKey(db.knex, store.id, ['read']);
    const writeKey = await addKey(db.knex, store.id, ['read', 'write']);
    const id = nextTicketId();
    // The token was revoked: Zendesk refuses the first read, a permanent error (no retries).
    nock(BASE).get(`/api/v2/tickets/${id}.json`).query(true).reply(401, { error: "Couldn't authenticate you" });
    const send = signedWebhook(id, 1, `Where is my order ${ORDER}?`);
    expect((await send()).status).toBe(202);
    const dead = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(dead.status).toBe('dead');

    const list = await supertest(app).get(`/api/v1/stores/${store.id}/inbound-events`).set(auth(readKey));
    expect(list.status).toBe(200);
    const listed = list.body.data.find((e: { id: string }) => e.id === dead.id);
    expect(listed).toMatchObject({ source: 'zendesk', status: 'dead', retryable: true, attempts: 1, ticket_id: String(id) });
    expect(listed.error).toMatch(/authenticate/);
    // Reading is not enough to replay.
    expect((await supertest(app).post(`/api/v1/stores/${store.id}/inbound-events/${dead.id}/retry`).set(auth(readKey))).status).toBe(403);

    // The token is fixed: the replay answers the customer, once, even when clicked twice.
    const t = zendeskTicket(id, [customerAsks(1, `Where is my order ${ORDER}?`)]);
    ticketUpdates(id, t.puts, [[200, {}]]);
    const retry = () => supertest(app).post(`/api/v1/stores/${store.id}/inbound-events/${dead.id}/retry`).set(auth(writeKey));
    const first = await retry();
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ id: dead.id, status: 'queued' });
    expect((await retry()).status).toBe(409);
    const processed = await waitForEvent(ctx, { id: dead.id });
    expect(processed.status).toBe('processed');
    await new Promise((r) => setTimeout(r, 300));
    expect(t.puts).toHaveLength(1);
    expect(comment(t.puts[0]!)?.public).toBe(true);
    expect(text(t.puts[0]!)).toContain(TRACKING);
    // Delivered again by Zendesk later, it is a duplicate: still one reply.
    expect((await send()).status).toBe(200);
  });

  it('retry-dead requeues every readable dead delivery; an unreadable one is kept for inspection', async () => {
    await setModes({ default: 'draft', order_status: 'auto' });
    const writeKey = await addKey(db.knex, store.id, ['read', 'write']);
    const ids = [nextTicketId(), nextTicketId()];
    for (const id of ids) nock(BASE).get(`/api/v2/tickets/${id}.json`).query(true).reply(403, { error: 'Forbidden' });
    for (const id of ids) expect((await signedWebhook(id, 1, `Where is my order ${ORDER}?`)()).status).toBe(202);
    for (const id of ids) expect((await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` })).status).toBe('dead');
    // A signed body that is not JSON: kept as a dead letter at intake, nothing a job could run.
    const raw = '{"ticket_id": "1", "latest_comment": "unterminated';
    const ts = new Date().toISOString();
    const res = await supertest(app).post('/webhooks/zendesk').set('Content-Type', 'application/json')
      .set('X-Zendesk-Webhook-Signature', createHmac('sha256', SECRET).update(ts + raw).digest('base64'))
      .set('X-Zendesk-Webhook-Signature-Timestamp', ts).send(raw);
    expect(res.status).toBe(400);
    const unreadable = await db.knex('inbound_events').where({ store_id: store.id, event_type: 'malformed_json' }).first();
    const listed = await supertest(app).get(`/api/v1/stores/${store.id}/inbound-events?status=dead`).set(auth(writeKey));
    expect(listed.body.data.find((e: { id: string }) => e.id === unreadable.id)).toMatchObject({ retryable: false });

    const puts = ids.map((id) => {
      const t = zendeskTicket(id, [customerAsks(1, `Where is my order ${ORDER}?`)]);
      ticketUpdates(id, t.puts, [[200, {}]]);
      return t.puts;
    });
    const all = await supertest(app).post(`/api/v1/stores/${store.id}/inbound-events/retry-dead`).set(auth(writeKey));
    expect(all.status).toBe(202);
    expect(all.body.queued).toBeGreaterThanOrEqual(2);
    for (const id of ids) expect((await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` })).status).toBe('processed');
    expect(puts.map((p) => p.length)).toEqual([1, 1]);
    const kept = await supertest(app).post(`/api/v1/stores/${store.id}/inbound-events/${unreadable.id}/retry`).set(auth(writeKey));
    expect(kept.status).toBe(409);
    expect(kept.body.error.message).toMatch(/kept for inspection/);
  });

  it('the summary says how many tickets wait on the bot, since when, and how many are dead', async () => {
    const readKey = await addKey(db.knex, store.id, ['read']);
    const summary = async () => {
      const res = await supertest(app).get(`/api/v1/stores/${store.id}/inbound-events/summary`).set(auth(readKey));
      expect(res.status).toBe(200);
      return res.body as { pending: number; oldest_pending_s: number | null; dead: number };
    };
    const before = await summary();
    expect(before.pending).toBe(0);
    expect(before.oldest_pending_s).toBeNull();
    const deadNow = (await db.knex('inbound_events').where({ store_id: store.id, status: 'dead' }).count({ n: '*' }).first())!.n;
    expect(before.dead).toBe(Number(deadNow));

    // A delivery queued three minutes ago that no worker picked up (workers stopped, say).
    const [stuck] = await db.knex('inbound_events')
      .insert({ store_id: store.id, source: 'zendesk', idempotency_key: 'summary-stuck', event_type: 'ticket_comment', payload: JSON.stringify({}), status: 'queued', received_at: new Date(Date.now() - 180_000) })
      .returning('id');
    try {
      const after = await summary();
      expect(after.pending).toBe(1);
      expect(after.oldest_pending_s).toBeGreaterThanOrEqual(180);
      expect(after.oldest_pending_s).toBeLessThan(240);
      expect(after.dead).toBe(before.dead);
    } finally {
      await db.knex('inbound_events').where({ id: stuck.id }).delete();
    }
    // Another store's key cannot read this store's summary.
    const other = await db.knex('stores').insert({ slug: 'summary-other', name: 'Other', settings: JSON.stringify({}) }).returning('id');
    const otherKey = await addKey(db.knex, other[0].id, ['admin']);
    expect((await supertest(app).get(`/api/v1/stores/${store.id}/inbound-events/summary`).set(auth(otherKey))).status).toBe(403);
  });
});
