/**
 * Zendesk against the HelpdeskConnector contract, plus what only Zendesk has (two webhook styles,
 * keys without a comment id). Fixture shapes: test/fixtures/zendesk/SOURCES.md.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createZendeskConnector, zendeskConfigSchema } from '../../connectors/zendesk/index.js';
import type { ParsedWebhook, ReplyInput, WebhookRequest } from '../../connectors/types.js';
import { RateLimitedError } from '../../src/errors.js';
import {
  capture,
  CONTRACT_NOW,
  runHelpdeskConnectorContract,
  type SignOptions,
  type WriteMock,
} from './helpdesk-connector.contract.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/zendesk/${name}.json`, import.meta.url), 'utf8'));

const BASE = 'https://acme.zendesk.com';
const SECRET = 'dGVzdC1zaWduaW5nLXNlY3JldC1mb3ItemVuZGVzaw==';
const BOT = '900000000001';
const TICKET = '35436';
const TICKET_PATH = `/api/v2/tickets/${TICKET}`;
const BASIC = Buffer.from('bot@acme-support.example/token:zd-api-token').toString('base64');
const AUTH = `Basic ${BASIC}`;
const NOT_AUTHENTICATED = "Couldn't authenticate you";

const config = zendeskConfigSchema.parse({
  subdomain: 'acme',
  email: 'bot@acme-support.example',
  apiToken: 'zd-api-token',
  webhookSecret: SECRET,
  botUserId: BOT,
});

/** Signed like Zendesk: base64(HMAC-SHA256(secret, timestamp + raw body)), ISO timestamp. */
function webhook(rawBody: Buffer, opts: SignOptions = {}): WebhookRequest {
  const ts = (opts.at ?? CONTRACT_NOW).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const key = opts.secret === 'wrong' ? 'another-secret' : SECRET;
  const signature = createHmac('sha256', key)
    .update(ts + rawBody.toString('utf8'))
    .digest('base64');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.secret !== 'none') {
    headers['x-zendesk-webhook-signature'] = signature;
    headers['x-zendesk-webhook-signature-timestamp'] = ts;
  }
  return { rawBody, headers, query: {}, url: '/webhooks/zendesk', now: CONTRACT_NOW };
}

const scope = () => nock(BASE, { reqheaders: { authorization: AUTH } });
const html = (key: string, text: string) => `<div data-hsb-key="${key}"><p>${text}</p></div>`;
const comment = (key: string, text: string, isPublic: boolean) => ({
  html_body: html(key, text),
  public: isPublic,
  author_id: Number(BOT),
});

function mockTicket(): nock.Scope {
  return scope()
    .get(`${TICKET_PATH}.json`)
    .query({ include: 'users' })
    .reply(200, fixture('ticket'))
    .get(`${TICKET_PATH}/comments.json`)
    .query({ include: 'users' })
    .reply(200, fixture('comments'));
}

function mockReply(reply: ReplyInput, key: string): WriteMock {
  const sent: unknown[] = [];
  const expected: unknown[] = [];
  const s = scope();
  if (reply.tags?.length) {
    s.put(`${TICKET_PATH}/tags.json`, capture(sent)).reply(200, fixture('tags-response'));
    expected.push({ tags: reply.tags });
  }
  s.put(`${TICKET_PATH}.json`, capture(sent)).reply(200, fixture('update-ticket-response'));
  expected.push({ ticket: { comment: comment(key, reply.body, reply.visibility === 'public') } });
  return { scope: s, sent, expected };
}

const escalation = {
  assigneeId: '381000000002',
  groupId: '360000000002',
  priority: 'high' as const,
  tags: ['bot:escalated', 'sentiment:frustrated'],
  note: 'Customer is frustrated: order #W2378156 is late.',
};

runHelpdeskConnectorContract({
  name: 'zendesk',
  create: (deps) => createZendeskConnector(config, deps),
  webhook,
  scheme: 'hmac-timestamp',
  payloads: {
    customerMessage: fixture('webhook-trigger-customer-comment'),
    ownBotMessage: fixture('webhook-trigger-bot-comment'),
    agentReply: fixture('webhook-trigger-agent-reply'),
    internalNote: fixture('webhook-trigger-internal-note'),
  },
  expectedMessage: {
    idempotencyKey: 'zendesk:acme:35436:9000000004',
    externalTicketId: TICKET,
    externalMessageId: '9000000004',
    customerEmail: 'noah.brown7922@example.com',
    bodyContains: 'still has not arrived',
  },
  ticketId: TICKET,
  mockTicket,
  firstTicketRequest: (s) => s.get(`${TICKET_PATH}.json`).query({ include: 'users' }),
  concurrentTicketReads: (s) => [s.get(`${TICKET_PATH}/comments.json`).query({ include: 'users' })],
  expectedTicket: {
    status: 'open',
    requesterEmail: 'noah.brown7922@example.com',
    subject: 'Where is my order?',
    authors: ['customer', 'agent', 'bot', 'customer'],
    publicFlags: [true, false, true, true],
  },
  mockReply,
  expectedReplyId: '9000000099',
  draftWriteRequest: (s) => s.put(`${TICKET_PATH}.json`),
  escalation,
  mockEscalate(to, key) {
    const sent: unknown[] = [];
    const s = scope()
      .put(`${TICKET_PATH}/tags.json`, capture(sent))
      .reply(200, fixture('tags-response'))
      .put(`${TICKET_PATH}.json`, capture(sent))
      .reply(200, fixture('update-ticket-response'));
    const update = {
      assignee_id: 381000000002,
      group_id: 360000000002,
      priority: 'high',
      comment: comment(key, to.note, false),
    };
    return { scope: s, sent, expected: [{ tags: to.tags }, { ticket: update }] };
  },
  mockWriteListing: () =>
    scope()
      .get(`${TICKET_PATH}/comments.json`)
      .query({ include: 'users' })
      .reply(200, fixture('comments')),
  existingWrite: { key: 'reply:older', externalId: '9000000003' },
  mockCredentialsOk: () => scope().get('/api/v2/users/me.json').reply(200, fixture('users-me')),
  mockCredentialsRejected: () =>
    scope().get('/api/v2/users/me.json').reply(401, { error: NOT_AUTHENTICATED }),
  vendorError(status) {
    if (status === 401) return { body: { error: NOT_AUTHENTICATED }, message: NOT_AUTHENTICATED };
    if (status === 404) return { body: fixture('error-404'), message: 'RecordNotFound: Not found' };
    return { body: fixture('error-422'), message: 'Comment: cannot be blank' };
  },
  scope,
});

describe('Zendesk specifics', () => {
  const connector = createZendeskConnector(config, {
    now: () => CONTRACT_NOW,
    sleep: async () => {},
  });
  const parse = (payload: unknown) => {
    const raw = Buffer.from(JSON.stringify(payload));
    return connector.parseWebhook(payload, webhook(raw));
  };
  const key = (p: ParsedWebhook) => (p.kind === 'message' ? p.idempotencyKey : null);
  const customerTrigger = fixture('webhook-trigger-customer-comment');

  it('reads the comment_added event envelope, with the same key as the trigger body', () => {
    const fromEvent = parse(fixture('webhook-event-comment-added'));
    expect(fromEvent).toMatchObject({
      kind: 'message',
      event: { body: expect.stringContaining('still has not arrived') },
    });
    expect(key(fromEvent)).toBe(key(parse(customerTrigger)));
  });

  it('ignores an agent comment and other event types in the event envelope', () => {
    expect(parse(fixture('webhook-event-comment-added-agent'))).toMatchObject({
      kind: 'ignored',
      reason: expect.stringMatching(/agent/),
    });
    expect(parse(fixture('webhook-event-status-changed'))).toMatchObject({ kind: 'ignored' });
  });

  it('keys a trigger body without comment_id by ticket and updated_at (stable)', () => {
    const a = parse(fixture('webhook-trigger-minimal'));
    expect(key(a)).toBe('zendesk:acme:35436:at-2026-11-21T10:02:41Z');
    expect(key(parse(fixture('webhook-trigger-minimal')))).toBe(key(a));
  });

  it('accepts numeric ids and refuses a trigger body without a rendered ticket_id', () => {
    const numeric = parse({ ...customerTrigger, ticket_id: 35436, comment_id: 9000000004 });
    expect(key(numeric)).toBe('zendesk:acme:35436:9000000004');
    expect(() => parse({ ...customerTrigger, ticket_id: '{{ticket.id}}' })).toThrow();
  });

  it('uses Bearer auth with an OAuth token and the overridable base URL', async () => {
    const oauth = createZendeskConnector(
      zendeskConfigSchema.parse({
        subdomain: 'acme',
        oauthToken: 'oauth-abc',
        webhookSecret: SECRET,
        baseUrl: 'http://proxy.example/zd',
      }),
      { sleep: async () => {} },
    );
    const s = nock('http://proxy.example', { reqheaders: { authorization: 'Bearer oauth-abc' } })
      .get('/zd/api/v2/users/me.json')
      .reply(200, fixture('users-me'));
    expect(await oauth.checkCredentials()).toMatchObject({ ok: true });
    s.done();
  });

  it('reads the ticket and its comments together: one round trip to Zendesk, not two', async () => {
    let commentsAsked!: () => void;
    const asked = new Promise<void>((resolve) => (commentsAsked = resolve));
    const s = scope()
      .get(`${TICKET_PATH}.json`)
      .query({ include: 'users' })
      // Answered only once the comments were asked for too: a ticket read that waited for its own
      // answer before asking for the comments would never get one.
      .reply((_uri, _body, cb) => {
        const late = setTimeout(() => cb(null, [500, { error: 'comments were not asked for while the ticket read was open' }]), 2000);
        void asked.then(() => {
          clearTimeout(late);
          cb(null, [200, fixture('ticket')]);
        });
      })
      .get(`${TICKET_PATH}/comments.json`)
      .query({ include: 'users' })
      .reply(() => {
        commentsAsked();
        return [200, fixture('comments')];
      });
    const ticket = await connector.getTicket({ externalTicketId: TICKET });
    s.done();
    expect(ticket.messages.length).toBeGreaterThan(0);
  });

  it("leaves a fifth of the account's requests a minute to other apps: below it, calls wait for the reset", async () => {
    const budgeted = createZendeskConnector(config, { now: () => CONTRACT_NOW, sleep: async () => {}, apiReserve: 0.2 });
    const limits = (remaining: number) => ({ 'X-Rate-Limit': '200', 'X-Rate-Limit-Remaining': String(remaining), 'ratelimit-limit': '200', 'ratelimit-remaining': String(remaining), 'ratelimit-reset': '41' });
    const read = (remaining: number) =>
      scope()
        .get(`${TICKET_PATH}.json`)
        .query({ include: 'users' })
        .reply(200, fixture('ticket'), limits(remaining))
        .get(`${TICKET_PATH}/comments.json`)
        .query({ include: 'users' })
        .reply(200, fixture('comments'), limits(remaining - 1));
    const roomy = read(120);
    await budgeted.getTicket({ externalTicketId: TICKET });
    roomy.done();
    const low = read(41); // the second answer says 40 remain: the reserve
    await budgeted.getTicket({ externalTicketId: TICKET });
    low.done();
    const held = await budgeted.getTicket({ externalTicketId: TICKET }).then(() => null, (e: unknown) => e);
    expect(held).toBeInstanceOf(RateLimitedError);
    expect((held as RateLimitedError).retryAfterMs).toBe(41_000);
  });

  it('treats the anonymous user of /users/me as refused credentials', async () => {
    const s = scope().get('/api/v2/users/me.json').reply(200, fixture('users-me-anonymous'));
    expect(await connector.checkCredentials()).toMatchObject({
      ok: false,
      message: expect.stringMatching(/anonymous/),
    });
    s.done();
  });
});
