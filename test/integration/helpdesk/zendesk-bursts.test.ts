import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { waitForEvent } from '../../helpers/workers.js';
import { addKey, auth } from '../api/api-helpers.js';
import {
  app,
  BOT,
  comment,
  ctx,
  CUSTOMER,
  customerAsks,
  db,
  nextTicketId,
  ORDER,
  patchSettings,
  setModes,
  signedWebhook,
  text,
  ticketUpdates,
  TRACKING,
  useZendeskFlow,
  zendeskTicket,
} from './zendesk-env.js';

// Customers who write several messages in a row on a Zendesk ticket (src/delivery/burst.ts): one
// reply answers them together, and a message that arrives mid-answer is still answered.
useZendeskFlow();

describe('Zendesk: a customer writing several messages in a row', () => {
  it('"Hi" then the question: one reply to both, the first message left to the second', async () => {
    await setModes({ default: 'auto' });
    const id = nextTicketId();
    const t = zendeskTicket(id, [customerAsks(1, 'Hi there'), customerAsks(2, `Where is my order ${ORDER}?`)]);
    ticketUpdates(id, t.puts, [[200, {}], [200, {}]]);
    await signedWebhook(id, 1, 'Hi there')();
    await signedWebhook(id, 2, `Where is my order ${ORDER}?`)();
    const first = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    const second = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:2` });
    expect([first.status, first.skip_reason]).toEqual(['skipped', 'superseded']);
    expect(second.status).toBe('processed');
    expect(t.puts).toHaveLength(1);
    expect(comment(t.puts[0]!)?.public).toBe(true);
    expect(text(t.puts[0]!)).toContain(TRACKING);
    // The turn answered both messages: the conversation holds them as one customer turn.
    const [msg] = await db.knex('messages').where({ conversation_id: second.conversation_id, role: 'user' });
    expect(msg.content).toBe(`Hi there\n\nWhere is my order ${ORDER}?`);
    expect(msg.metadata.covers).toEqual(['1', '2']);
    // A support lead can see why the first message got no reply of its own.
    const key = await addKey(db.knex, first.store_id, ['read']);
    const skipped = await supertest(app).get(`/api/v1/stores/${first.store_id}/inbound-events?status=skipped`).set(auth(key));
    expect(skipped.body.data.find((e: { id: string }) => e.id === first.id)).toMatchObject({ ticket_id: String(id), skip_reason: 'superseded' });
  });

  it('with a reply delay, a question sent a moment after "Hi" is answered together with it', async () => {
    await setModes({ default: 'auto' });
    await patchSettings({ reply_delay_s: 1 });
    try {
      const id = nextTicketId();
      const comments = [customerAsks(1, 'Hi there')];
      const t = zendeskTicket(id, comments);
      ticketUpdates(id, t.puts, [[200, {}], [200, {}]]);
      await signedWebhook(id, 1, 'Hi there')();
      await new Promise((r) => setTimeout(r, 400));
      // Without the delay the bot would have answered "Hi there" on its own by now.
      expect(t.puts).toHaveLength(0);
      comments.push(customerAsks(2, `Where is my order ${ORDER}?`));
      await signedWebhook(id, 2, `Where is my order ${ORDER}?`)();
      const first = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
      const second = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:2` });
      expect([first.skip_reason, second.status]).toEqual(['superseded', 'processed']);
      expect(t.puts).toHaveLength(1);
      expect(text(t.puts[0]!)).toContain(TRACKING);
    } finally {
      await patchSettings({ reply_delay_s: 0 });
    }
  });

  it('a question that came in while the bot was answering the one before is answered too', async () => {
    await setModes({ default: 'auto' });
    const id = nextTicketId();
    const comments = [customerAsks(1, `Where is my order ${ORDER}?`)];
    const t = zendeskTicket(id, comments);
    ticketUpdates(id, t.puts, [[200, {}], [200, {}]]);
    await signedWebhook(id, 1, `Where is my order ${ORDER}?`)();
    await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(t.puts).toHaveLength(1);
    // The customer's follow-up was written before the bot's reply landed in the thread.
    const earlier = new Date(Date.now() - 500).toISOString();
    comments.push({ id: 2, author_id: CUSTOMER, body: `When will ${ORDER} arrive?`, public: true, created_at: earlier });
    comments.push({ id: 3, author_id: BOT, body: 'Your order has shipped.', public: true, created_at: new Date().toISOString() });
    await signedWebhook(id, 2, `When will ${ORDER} arrive?`)();
    const ev = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:2` });
    expect([ev.status, ev.skip_reason]).toEqual(['processed', null]);
    expect(t.puts).toHaveLength(2);
    expect(comment(t.puts[1]!)?.public).toBe(true);
  });
  it("a newer message whose webhook never comes: the older message's job waits for it, then answers both", async () => {
    await setModes({ default: 'auto' });
    const id = nextTicketId();
    const comments = [customerAsks(1, 'Hi there'), customerAsks(2, `Where is my order ${ORDER}?`)];
    const t = zendeskTicket(id, comments);
    ticketUpdates(id, t.puts, [[200, {}]]);
    // Zendesk never delivers the second message's webhook.
    await signedWebhook(id, 1, 'Hi there')();
    const waiting = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` }, 10_000, (e) => /waiting for the webhook/.test(e.error ?? ''));
    // A support lead sees why it waits; nothing was sent yet.
    expect(waiting.status).toBe('queued');
    expect(t.puts).toHaveLength(0);
    const first = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect([first.status, first.skip_reason]).toEqual(['processed', null]);
    expect(t.puts).toHaveLength(1);
    expect(text(t.puts[0]!)).toContain(TRACKING);
    const [msg] = await db.knex('messages').where({ conversation_id: first.conversation_id, role: 'user' });
    expect(msg.content).toBe(`Hi there\n\nWhere is my order ${ORDER}?`);
    expect(msg.metadata.covers).toEqual(['1', '2']);

    // The second message is listed as answered with the first.
    const taken = await db.knex('inbound_events').where({ idempotency_key: `zendesk:acme:${id}:2` }).first();
    expect([taken.status, taken.skip_reason]).toEqual(['skipped', 'answered_with_earlier']);
    // The webhook turns up after all: intake knows it is answered, and nothing more is sent.
    expect((await signedWebhook(id, 2, `Where is my order ${ORDER}?`)()).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.puts).toHaveLength(1);
    expect(await db.knex('inbound_events').where({ idempotency_key: `zendesk:acme:${id}:2` }).first()).toMatchObject({ status: 'skipped', attempts: 0 });
  });

  it("a newer message's webhook that comes while the older message waits: one reply, from the newer message's job", async () => {
    await setModes({ default: 'auto' });
    const id = nextTicketId();
    const t = zendeskTicket(id, [customerAsks(1, 'Hi there'), customerAsks(2, `Where is my order ${ORDER}?`)]);
    ticketUpdates(id, t.puts, [[200, {}], [200, {}]]);
    await signedWebhook(id, 1, 'Hi there')();
    await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` }, 10_000, (e) => /waiting for the webhook/.test(e.error ?? ''));
    await signedWebhook(id, 2, `Where is my order ${ORDER}?`)();
    const second = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:2` });
    const first = await waitForEvent(ctx, { idempotency_key: `zendesk:acme:${id}:1` });
    expect(second.status).toBe('processed');
    expect([first.status, first.skip_reason]).toEqual(['skipped', 'superseded']);
    // Settled: the wait's reason is gone from it.
    expect(first.error).toBeNull();
    expect(t.puts).toHaveLength(1);
    expect(text(t.puts[0]!)).toContain(TRACKING);
  });
});
