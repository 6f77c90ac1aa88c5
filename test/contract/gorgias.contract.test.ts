/**
 * Gorgias against the HelpdeskConnector contract, plus what only Gorgias has (token in header,
 * Bearer or URL; ticket-created payloads; priority fallback). Fixture shapes:
 * test/fixtures/gorgias/SOURCES.md.
 */
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createGorgiasConnector, gorgiasConfigSchema } from '../../connectors/gorgias/index.js';
import type { ReplyInput, WebhookRequest } from '../../connectors/types.js';
import { RateLimitedError } from '../../src/errors.js';
import {
  capture,
  CONTRACT_NOW,
  runHelpdeskConnectorContract,
  type SignOptions,
  type WriteMock,
} from './helpdesk-connector.contract.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/gorgias/${name}.json`, import.meta.url), 'utf8'));

const BASE = 'https://acme.gorgias.com';
const SECRET = 'gorgias-shared-secret-0123456789abcdef';
const BOT = '5000001';
const TICKET = '86538298';
const TICKET_PATH = `/api/tickets/${TICKET}`;
const AUTH = `Basic ${Buffer.from('bot@acme-support.example:gorgias-api-key').toString('base64')}`;
const BAD_CREDENTIALS = { error: { msg: 'Invalid credentials.' } };

const config = gorgiasConfigSchema.parse({
  account: 'acme',
  email: 'bot@acme-support.example',
  apiKey: 'gorgias-api-key',
  webhookSecret: SECRET,
  botUserId: BOT,
});

/** Gorgias does not sign: the HTTP integration sends our shared secret in a custom header. */
function webhook(rawBody: Buffer, opts: SignOptions = {}): WebhookRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.secret === 'good' || opts.secret === undefined) headers['x-gorgias-token'] = SECRET;
  if (opts.secret === 'wrong') headers['x-gorgias-token'] = 'not-the-secret-at-all!';
  return { rawBody, headers, query: {}, url: '/webhooks/gorgias', now: opts.at ?? CONTRACT_NOW };
}

const scope = () => nock(BASE, { reqheaders: { authorization: AUTH } });
const ticketTags = (extra: string[]) => [
  { name: 'order' },
  { name: 'vip' },
  ...extra.map((name) => ({ name })),
];
const fromBot = (text: string, key: string) => ({
  via: 'api',
  from_agent: true,
  body_text: text,
  body_html: `<p>${text}</p>`,
  external_id: key,
  sender: { id: 5000001 },
});

function mockReply(reply: ReplyInput, key: string): WriteMock {
  const sent: unknown[] = [];
  const expected: unknown[] = [];
  const s = scope();
  if (reply.visibility === 'public' || reply.tags?.length) {
    s.get(TICKET_PATH).reply(200, fixture('ticket'));
  }
  if (reply.tags?.length) {
    s.put(TICKET_PATH, capture(sent)).reply(200, fixture('ticket'));
    expected.push({ tags: ticketTags(reply.tags) });
  }
  s.post(`${TICKET_PATH}/messages`, capture(sent)).reply(201, fixture('message-created-response'));
  if (reply.visibility === 'draft') {
    expected.push({ channel: 'internal-note', ...fromBot(reply.body, key) });
  } else {
    expected.push({
      channel: 'email',
      ...fromBot(reply.body, key),
      receiver: { id: 7000001 },
      source: {
        type: 'email',
        from: { address: 'support@acme.example', name: 'Acme Support' },
        to: [{ address: 'noah.brown7922@example.com', name: 'Noah Brown' }],
      },
      subject: 'Re: Where is my order?',
    });
  }
  return { scope: s, sent, expected };
}

const escalation = {
  assigneeId: '5000002',
  teamId: '9001',
  priority: 'high' as const,
  tags: ['bot:escalated', 'sentiment:frustrated'],
  note: 'Customer is frustrated: order #W2378156 is late.',
};

function escalationWrites(key: string, withPriority: boolean) {
  return [
    {
      assignee_user: { id: 5000002 },
      assignee_team: { id: 9001 },
      ...(withPriority ? { priority: 'high' } : {}),
      tags: ticketTags(['bot:escalated', 'sentiment:frustrated', 'priority:high']),
    },
    { channel: 'internal-note', ...fromBot(escalation.note, key) },
  ];
}

runHelpdeskConnectorContract({
  name: 'gorgias',
  create: (deps) => createGorgiasConnector(config, deps),
  webhook,
  scheme: 'shared-secret',
  payloads: {
    customerMessage: fixture('webhook-message-created'),
    ownBotMessage: fixture('webhook-bot-message'),
    agentReply: fixture('webhook-message-from-agent'),
    internalNote: fixture('webhook-internal-note'),
  },
  expectedMessage: {
    idempotencyKey: 'gorgias:acme:86538298:208800004',
    externalTicketId: TICKET,
    externalMessageId: '208800004',
    customerEmail: 'noah.brown7922@example.com',
    bodyContains: 'still has not arrived',
  },
  ticketId: TICKET,
  mockTicket: () => scope().get(TICKET_PATH).reply(200, fixture('ticket')),
  firstTicketRequest: (s) => s.get(TICKET_PATH),
  expectedTicket: {
    status: 'open',
    requesterEmail: 'noah.brown7922@example.com',
    subject: 'Where is my order?',
    authors: ['customer', 'agent', 'bot', 'customer'],
    publicFlags: [true, false, true, true],
  },
  mockReply,
  expectedReplyId: '208800099',
  draftWriteRequest: (s) => s.post(`${TICKET_PATH}/messages`),
  escalation,
  mockEscalate(_to, key) {
    const sent: unknown[] = [];
    const s = scope()
      .get(TICKET_PATH)
      .reply(200, fixture('ticket'))
      .put(TICKET_PATH, capture(sent))
      .reply(200, fixture('ticket'))
      .post(`${TICKET_PATH}/messages`, capture(sent))
      .reply(201, fixture('message-created-response'));
    return { scope: s, sent, expected: escalationWrites(key, true) };
  },
  mockWriteListing: () => scope().get(`${TICKET_PATH}/messages`).reply(200, fixture('messages')),
  existingWrite: { key: 'reply:older', externalId: '208800003' },
  mockCredentialsOk: () => scope().get('/api/account').reply(200, fixture('account')),
  mockCredentialsRejected: () => scope().get('/api/account').reply(401, BAD_CREDENTIALS),
  vendorError(status) {
    if (status === 401) return { body: BAD_CREDENTIALS, message: 'Invalid credentials.' };
    if (status === 404) return { body: fixture('error-404'), message: 'Resource not found.' };
    const message = 'Invalid request data. (channel: Not a valid choice.)';
    return { body: fixture('error-400'), message };
  },
  scope,
});

describe('Gorgias specifics', () => {
  const connector = createGorgiasConnector(config, {
    now: () => CONTRACT_NOW,
    sleep: async () => {},
  });
  const raw = Buffer.from(JSON.stringify(fixture('webhook-message-created')));
  const bare = (over: Partial<WebhookRequest>): WebhookRequest => ({
    ...webhook(raw, { secret: 'none' }),
    ...over,
  });
  const refused = { ok: false, reason: 'bad_signature' };

  it.each([
    ['Authorization: Bearer', { headers: { authorization: `Bearer ${SECRET}` } }],
    ['?token= in the URL', { query: { token: SECRET } }],
  ])('accepts the shared secret as %s', (_label, over) => {
    expect(connector.verifyWebhook(bare(over))).toEqual({ ok: true });
  });

  it('refuses a wrong token in the URL and a prefix of the secret', () => {
    expect(connector.verifyWebhook(bare({ query: { token: 'nope' } }))).toEqual(refused);
    const prefix = { headers: { 'x-gorgias-token': SECRET.slice(0, -1) } };
    expect(connector.verifyWebhook(bare(prefix))).toEqual(refused);
  });

  it('turns ticket-created into the same event as message-created for its first message', () => {
    const payload = fixture('webhook-ticket-created');
    const parsed = connector.parseWebhook(payload, webhook(Buffer.from(JSON.stringify(payload))));
    expect(parsed).toMatchObject({
      kind: 'message',
      idempotencyKey: 'gorgias:acme:86538299:208800010',
      event: { subject: 'Where is my order?', meta: { channel: 'email' } },
    });
  });

  it('keeps the reassignment when Gorgias refuses the priority field (tag stays)', async () => {
    const sent: unknown[] = [];
    const s = scope()
      .get(TICKET_PATH)
      .reply(200, fixture('ticket'))
      .put(TICKET_PATH)
      .reply(400, fixture('error-400'))
      .put(TICKET_PATH, capture(sent))
      .reply(200, fixture('ticket'))
      .post(`${TICKET_PATH}/messages`, capture(sent))
      .reply(201, fixture('message-created-response'));
    await connector.escalate({ externalTicketId: TICKET }, escalation, { idempotencyKey: 'esc:2' });
    s.done();
    expect(sent).toEqual(escalationWrites('esc:2', false));
  });

  it('reads messages from the messages endpoint when the ticket does not embed them', async () => {
    const { messages: _omitted, ...ticket } = fixture('ticket');
    const s = scope()
      .get(TICKET_PATH)
      .reply(200, ticket)
      .get(`${TICKET_PATH}/messages`)
      .reply(200, fixture('messages'));
    const result = await connector.getTicket({ externalTicketId: TICKET });
    s.done();
    expect(result.messages).toHaveLength(4);
  });

  it('leaves a fifth of the account budget to other apps: at 36/40 calls the next waits for the bucket', async () => {
    const budgeted = createGorgiasConnector(config, { now: () => CONTRACT_NOW, sleep: async () => {}, apiReserve: 0.2 });
    const roomy = scope().get(TICKET_PATH).reply(200, fixture('ticket'), { 'X-Gorgias-Account-Api-Call-Limit': '20/40' });
    await budgeted.getTicket({ externalTicketId: TICKET });
    roomy.done();
    const low = scope().get(TICKET_PATH).reply(200, fixture('ticket'), { 'X-Gorgias-Account-Api-Call-Limit': '36/40' });
    await budgeted.getTicket({ externalTicketId: TICKET });
    low.done();
    // 4 left, 8 kept for others: 5 calls must leak out of the bucket (20 s / 40 each). Not sent.
    const held = await budgeted.getTicket({ externalTicketId: TICKET }).then(() => null, (e: unknown) => e);
    expect(held).toBeInstanceOf(RateLimitedError);
    expect((held as RateLimitedError).retryAfterMs).toBe(2500);
  });
});
