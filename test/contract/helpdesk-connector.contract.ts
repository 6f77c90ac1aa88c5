/**
 * One conformance suite every HelpdeskConnector must pass (bullmq `adapter-conformance` style):
 * each vendor file supplies a harness (how its webhooks are signed, its fixtures, and nock
 * scopes that accept exactly its vendor bodies) and calls `runHelpdeskConnectorContract`.
 * Vendor HTTP is mocked at the HTTP level with nock; unmatched requests fail the test.
 */
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectorDeps } from '../../connectors/http.js';
import type {
  EscalationInput,
  HelpdeskConnector,
  ParsedWebhook,
  ReplyInput,
  TicketMessage,
  WebhookRequest,
} from '../../connectors/types.js';
import { PermanentError, RateLimitedError, RetryableError } from '../../src/errors.js';

/** The fixed clock of the suite; webhook fixtures are dated just before it. */
export const CONTRACT_NOW = new Date('2026-11-21T10:03:00Z');

export type SignOptions = { at?: Date; secret?: 'good' | 'wrong' | 'none' };

/** Write requests captured by a mock, to compare with the exact vendor bodies. */
export type WriteMock = { scope: nock.Scope; sent: unknown[]; expected: unknown[] };

export type HelpdeskContractHarness = {
  name: string;
  create(deps: ConnectorDeps): HelpdeskConnector;
  /** A webhook request as the vendor sends it, signed with the real scheme. */
  webhook(rawBody: Buffer, opts?: SignOptions): WebhookRequest;
  /** hmac-timestamp: the body and a timestamp are signed (Zendesk). shared-secret: Gorgias. */
  scheme: 'hmac-timestamp' | 'shared-secret';
  payloads: {
    customerMessage: unknown;
    ownBotMessage: unknown;
    agentReply: unknown;
    internalNote: unknown;
  };
  expectedMessage: {
    idempotencyKey: string;
    externalTicketId: string;
    externalMessageId: string;
    customerEmail: string | null;
    bodyContains: string;
  };
  ticketId: string;
  mockTicket(): nock.Scope;
  /** Intercepts the first request getTicket makes, to answer it with an error. */
  firstTicketRequest(scope: nock.Scope): nock.Interceptor;
  /**
   * The reads getTicket sends together with the first (Zendesk: the comments), answered with the
   * same error when the whole read fails, as the vendor would.
   */
  concurrentTicketReads?(scope: nock.Scope): nock.Interceptor[];
  expectedTicket: {
    status: string;
    requesterEmail: string;
    subject: string;
    authors: TicketMessage['author'][];
    publicFlags: boolean[];
  };
  mockReply(reply: ReplyInput, key: string): WriteMock;
  expectedReplyId: string;
  /** Intercepts the write of a draft without tags (one request), whatever its body. */
  draftWriteRequest(scope: nock.Scope): nock.Interceptor;
  escalation: EscalationInput;
  mockEscalate(to: EscalationInput, key: string): WriteMock;
  /** A listing in which the write of `existingWrite.key` is present. */
  mockWriteListing(): nock.Scope;
  existingWrite: { key: string; externalId: string };
  mockCredentialsOk(): nock.Scope;
  mockCredentialsRejected(): nock.Scope;
  vendorError(status: 401 | 404 | 422): { body: unknown; message: string };
  /** nock scope on the vendor's base URL. */
  scope(): nock.Scope;
};

/** Records a write's body and answers it (nock body matcher that always matches). */
export function capture(sent: unknown[]) {
  return (body: unknown) => {
    sent.push(body);
    return true;
  };
}

export function runHelpdeskConnectorContract(h: HelpdeskContractHarness): void {
  describe(`HelpdeskConnector contract: ${h.name}`, () => {
    let waits: number[];
    let unmatched: string[];
    let connector: HelpdeskConnector;
    const onNoMatch = (req: { method?: string; path?: string }) =>
      unmatched.push(`${req.method} ${req.path}`);
    const ref = { externalTicketId: h.ticketId };
    const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as Error);

    beforeEach(() => {
      waits = [];
      unmatched = [];
      nock.emitter.on('no match', onNoMatch);
      connector = h.create({
        now: () => CONTRACT_NOW,
        sleep: async (ms) => {
          waits.push(ms);
        },
      });
    });
    afterEach(() => {
      nock.emitter.removeListener('no match', onNoMatch);
      nock.cleanAll();
      // Every request the connector made was one the test expected: nothing sent twice.
      expect(unmatched).toEqual([]);
    });

    const body = (payload: unknown) => Buffer.from(JSON.stringify(payload));
    const parse = (payload: unknown, now = CONTRACT_NOW) => {
      const raw = body(payload);
      return connector.parseWebhook(payload, { ...h.webhook(raw), now });
    };

    describe('verifyWebhook', () => {
      const raw = body(h.payloads.customerMessage);

      it('accepts a correctly signed request', () => {
        expect(connector.verifyWebhook(h.webhook(raw))).toEqual({ ok: true });
      });
      it('refuses a request signed with another secret', () => {
        expect(connector.verifyWebhook(h.webhook(raw, { secret: 'wrong' }))).toEqual({
          ok: false,
          reason: 'bad_signature',
        });
      });
      it('refuses a request without signature', () => {
        expect(connector.verifyWebhook(h.webhook(raw, { secret: 'none' }))).toEqual({
          ok: false,
          reason: 'missing_signature',
        });
      });
      const timestamped = it.skipIf(h.scheme !== 'hmac-timestamp');
      timestamped('refuses a signature older than five minutes (replay)', () => {
        const at = new Date(CONTRACT_NOW.getTime() - 6 * 60_000);
        expect(connector.verifyWebhook(h.webhook(raw, { at }))).toEqual({
          ok: false,
          reason: 'stale_timestamp',
        });
      });
      timestamped('accepts a signature four minutes old', () => {
        const at = new Date(CONTRACT_NOW.getTime() - 4 * 60_000);
        expect(connector.verifyWebhook(h.webhook(raw, { at }))).toEqual({ ok: true });
      });
      timestamped('refuses a body changed after signing', () => {
        const signed = h.webhook(raw);
        const rawBody = Buffer.from(raw.toString().replace('arrived', 'arrivedX'));
        const tampered = { ...signed, rawBody };
        expect(connector.verifyWebhook(tampered)).toEqual({ ok: false, reason: 'bad_signature' });
      });
    });

    describe('parseWebhook', () => {
      it('turns a customer message into an event with the vendor key', () => {
        const parsed = parse(h.payloads.customerMessage);
        expect(parsed.kind).toBe('message');
        if (parsed.kind !== 'message') return;
        expect(parsed.idempotencyKey).toBe(h.expectedMessage.idempotencyKey);
        expect(parsed.event).toMatchObject({
          kind: 'customer_message',
          channel: h.name,
          externalTicketId: h.expectedMessage.externalTicketId,
          externalMessageId: h.expectedMessage.externalMessageId,
          customerEmail: h.expectedMessage.customerEmail,
        });
        expect(parsed.event.body).toContain(h.expectedMessage.bodyContains);
      });
      it('gives a redelivery (later, same body) the same idempotency key', () => {
        const first = parse(h.payloads.customerMessage);
        const later = new Date(CONTRACT_NOW.getTime() + 3_600_000);
        const again = parse(h.payloads.customerMessage, later);
        const key = (p: ParsedWebhook) => (p.kind === 'message' ? p.idempotencyKey : null);
        expect(key(first)).toBe(h.expectedMessage.idempotencyKey);
        expect(key(again)).toBe(key(first));
      });
      it.each([
        ['the bot user', 'ownBotMessage', /bot/],
        ['an agent', 'agentReply', /agent|requester/],
        ['an internal note', 'internalNote', /internal|private/],
      ] as const)('ignores a message from %s', (_label, key, reason) => {
        const parsed = parse(h.payloads[key]);
        expect(parsed.kind).toBe('ignored');
        if (parsed.kind === 'ignored') expect(parsed.reason).toMatch(reason);
      });
      it('throws on a body that is not a vendor payload', () => {
        expect(() => parse({ hello: 'world' })).toThrow();
      });
    });

    describe('getTicket', () => {
      it('maps status, requester and messages with their author roles', async () => {
        const scope = h.mockTicket();
        const ticket = await connector.getTicket(ref);
        scope.done();
        expect(ticket).toMatchObject({
          id: h.ticketId,
          status: h.expectedTicket.status,
          subject: h.expectedTicket.subject,
          requester: { email: h.expectedTicket.requesterEmail },
        });
        expect(ticket.messages.map((m) => m.author)).toEqual(h.expectedTicket.authors);
        expect(ticket.messages.map((m) => m.public)).toEqual(h.expectedTicket.publicFlags);
        expect(ticket.messages.every((m) => m.id && m.body.length > 0)).toBe(true);
      });
    });

    describe('postReply', () => {
      const draft: ReplyInput = {
        body: 'Draft: your order #W2378156 is on its way.',
        visibility: 'draft',
        tags: ['bot:drafted', 'intent:order_status'],
      };
      const reply: ReplyInput = {
        body: 'Your order #W2378156 is on its way.',
        visibility: 'public',
      };

      it.each([
        ['a draft (internal note, with tags)', draft, 'reply:draft-1'],
        ['a public reply', reply, 'reply:public-1'],
      ] as const)('sends %s as the exact vendor body, once', async (_label, input, key) => {
        const mock = h.mockReply(input, key);
        const result = await connector.postReply(ref, input, { idempotencyKey: key });
        mock.scope.done();
        expect(mock.sent).toEqual(mock.expected);
        expect(result).toEqual({ externalId: h.expectedReplyId });
      });

      it('does not resend a message after a 500 (the job reconciles first)', async () => {
        const scope = h.scope();
        h.draftWriteRequest(scope).reply(500, { error: 'InternalError' });
        const input: ReplyInput = { body: 'Hello', visibility: 'draft' };
        const err = await failure(connector.postReply(ref, input, { idempotencyKey: 'k-500' }));
        scope.done();
        expect(err).toBeInstanceOf(RetryableError);
        expect(waits).toEqual([]);
      });

      it('fails permanently on 422 with the vendor message', async () => {
        const scope = h.scope();
        const { body: errBody, message } = h.vendorError(422);
        h.draftWriteRequest(scope).reply(422, errBody as nock.Body);
        const input: ReplyInput = { body: 'Hello', visibility: 'draft' };
        const err = await failure(connector.postReply(ref, input, { idempotencyKey: 'k-422' }));
        scope.done();
        expect(err).toBeInstanceOf(PermanentError);
        expect((err as PermanentError).status).toBe(422);
        expect((err as Error).message).toContain(message);
      });
    });

    describe('escalate', () => {
      it('sends assignee, team/group, priority, tags and a private note', async () => {
        const mock = h.mockEscalate(h.escalation, 'esc:1');
        await connector.escalate(ref, h.escalation, { idempotencyKey: 'esc:1' });
        mock.scope.done();
        expect(mock.sent).toEqual(mock.expected);
        const all = JSON.stringify(mock.sent);
        for (const tag of h.escalation.tags ?? []) expect(all).toContain(tag);
        expect(all).toContain(h.escalation.note);
        if (h.escalation.assigneeId) expect(all).toContain(h.escalation.assigneeId);
      });
    });

    describe('findWrite', () => {
      it('finds an earlier write by its idempotency key', async () => {
        const scope = h.mockWriteListing();
        const found = await connector.findWrite!(ref, { idempotencyKey: h.existingWrite.key });
        scope.done();
        expect(found).toEqual({ externalId: h.existingWrite.externalId });
      });
      it('answers null when the write never happened', async () => {
        const scope = h.mockWriteListing();
        const found = await connector.findWrite!(ref, { idempotencyKey: 'reply:never-sent' });
        scope.done();
        expect(found).toBeNull();
      });
    });

    describe('errors and retries', () => {
      it('retries a 500 inside the call and succeeds', async () => {
        const scope = h.scope();
        h.firstTicketRequest(scope).reply(500, { error: 'InternalError' });
        const ok = h.mockTicket();
        const ticket = await connector.getTicket(ref);
        scope.done();
        ok.done();
        expect(ticket.id).toBe(h.ticketId);
        expect(waits).toHaveLength(1);
        expect(waits[0]).toBeLessThanOrEqual(1000);
      });

      it('surfaces a 429 with a long Retry-After as RateLimitedError, and holds the next call back without asking', async () => {
        const scope = h.scope();
        const headers = { 'Retry-After': '30' };
        h.firstTicketRequest(scope).reply(429, { error: 'TooManyRequests' }, headers);
        for (const read of h.concurrentTicketReads?.(scope) ?? []) read.reply(429, { error: 'TooManyRequests' }, headers);
        const err = await failure(connector.getTicket(ref));
        scope.done();
        expect(err).toBeInstanceOf(RateLimitedError);
        expect((err as RetryableError).retryAfterMs).toBe(30_000);
        expect(waits).toEqual([]);
        // The account is over its limit for 30 s: the next call is not sent (nothing is mocked, and
        // any request would be "unmatched") and tells the job how long to wait.
        const held = await failure(connector.getTicket(ref));
        expect(held).toBeInstanceOf(RateLimitedError);
        expect((held as RetryableError).retryAfterMs).toBe(30_000);
      });

      it('waits out a 429 whose Retry-After is at most 2 s, inside the call', async () => {
        const scope = h.scope();
        const headers = { 'Retry-After': '1' };
        h.firstTicketRequest(scope).reply(429, { error: 'TooManyRequests' }, headers);
        const ok = h.mockTicket();
        const ticket = await connector.getTicket(ref);
        scope.done();
        ok.done();
        expect(ticket.id).toBe(h.ticketId);
        expect(waits).toEqual([1000]);
      });

      it('fails permanently on 404 with the vendor message', async () => {
        const scope = h.scope();
        const { body: errBody, message } = h.vendorError(404);
        h.firstTicketRequest(scope).reply(404, errBody as nock.Body);
        for (const read of h.concurrentTicketReads?.(scope) ?? []) read.reply(404, errBody as nock.Body);
        const err = await failure(connector.getTicket(ref));
        scope.done();
        expect(err).toBeInstanceOf(PermanentError);
        expect((err as PermanentError).status).toBe(404);
        expect((err as Error).message).toContain(message);
        expect(waits).toEqual([]);
      });
    });

    describe('checkCredentials', () => {
      it('reports ok when the vendor accepts the credentials', async () => {
        const scope = h.mockCredentialsOk();
        const result = await connector.checkCredentials();
        scope.done();
        expect(result.ok).toBe(true);
      });
      it('reports the vendor message when it refuses them', async () => {
        const scope = h.mockCredentialsRejected();
        const result = await connector.checkCredentials();
        scope.done();
        expect(result.ok).toBe(false);
        expect(result.message).toContain(h.vendorError(401).message);
      });
    });
  });
}
