/**
 * Zendesk Support: webhook signature (HMAC over timestamp + raw body), the Tickets API, comments
 * created through ticket updates (`public: true|false`), tags through the Tags API.
 */
import { RetryableError } from '../../src/errors.js';
import { createHttpClient, type ConnectorDeps } from '../http.js';
import type {
  EscalationInput,
  HelpdeskConnector,
  ParsedWebhook,
  ReplyInput,
  Ticket,
  TicketRef,
  VerifyResult,
  WebhookRequest,
  WriteOptions,
} from '../types.js';
import { checkTimestamp, constantTimeEqual, headerValue, hmacSha256 } from '../verify.js';
import { zendeskBudget } from './zendesk.budget.js';
import { zendeskAuthHeader, zendeskBaseUrl, type ZendeskConfig } from './zendesk.config.js';
import {
  escalationBody,
  hasWriteMarker,
  parseZendeskWebhook,
  replyBody,
  toTicket,
} from './zendesk.mappers.js';
import {
  commentsResponseSchema,
  meResponseSchema,
  ticketResponseSchema,
  updateResponseSchema,
  type ZendeskComment,
  type ZendeskUser,
} from './zendesk.schemas.js';

const SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
const TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';
/** Comments pages read per ticket (100 each); the 5,000-comment cap makes more pointless here. */
const MAX_COMMENT_PAGES = 5;

export function createZendeskConnector(
  config: ZendeskConfig,
  deps: ConnectorDeps = {},
): HelpdeskConnector {
  const http = createHttpClient({
    ...deps,
    vendor: 'Zendesk',
    baseUrl: zendeskBaseUrl(config),
    headers: { authorization: zendeskAuthHeader(config) },
    budget: zendeskBudget,
  });
  const ticketPath = (id: string) => `/api/v2/tickets/${encodeURIComponent(id)}`;

  async function listComments(
    ticketId: string,
  ): Promise<{ comments: ZendeskComment[]; users: ZendeskUser[] }> {
    const comments: ZendeskComment[] = [];
    const users: ZendeskUser[] = [];
    let query: Record<string, string> = { include: 'users' };
    for (let page = 0; page < MAX_COMMENT_PAGES; page++) {
      const path = `${ticketPath(ticketId)}/comments.json`;
      const res = commentsResponseSchema.parse(await http.request({ method: 'GET', path, query }));
      comments.push(...res.comments);
      users.push(...(res.users ?? []));
      const next = nextPageQuery(res.next_page);
      if (!next) break;
      query = next;
    }
    return { comments, users };
  }

  /** Tags API "add tags" (PUT adds, POST replaces): safe to repeat, so sent before the comment. */
  async function addTags(ticketId: string, tags: string[] | undefined): Promise<void> {
    if (!tags?.length) return;
    const path = `${ticketPath(ticketId)}/tags.json`;
    await http.request({ method: 'PUT', path, body: { tags }, idempotent: true });
  }

  return {
    kind: 'zendesk',

    verifyWebhook(req: WebhookRequest): VerifyResult {
      const signature = headerValue(req, SIGNATURE_HEADER);
      const timestamp = headerValue(req, TIMESTAMP_HEADER);
      if (!signature || !timestamp) return { ok: false, reason: 'missing_signature' };
      const fresh = checkTimestamp(timestamp, req.now);
      if (fresh === 'stale') return { ok: false, reason: 'stale_timestamp' };
      if (fresh === 'malformed') return { ok: false, reason: 'malformed' };
      const expected = hmacSha256(config.webhookSecret, [timestamp, req.rawBody], 'base64');
      const ok = constantTimeEqual(signature, expected);
      return ok ? { ok: true } : { ok: false, reason: 'bad_signature' };
    },

    parseWebhook(body: unknown, req: WebhookRequest): ParsedWebhook {
      return parseZendeskWebhook(body, {
        subdomain: config.subdomain,
        botUserId: config.botUserId,
        now: req.now,
        rawBody: req.rawBody,
      });
    },

    async getTicket(ref: TicketRef): Promise<Ticket> {
      const path = `${ticketPath(ref.externalTicketId)}.json`;
      // Independent reads, sent together: one round trip to Zendesk instead of two per ticket.
      const [raw, { comments, users }] = await Promise.all([
        http.request({ method: 'GET', path, query: { include: 'users' } }),
        listComments(ref.externalTicketId),
      ]);
      return toTicket(ticketResponseSchema.parse(raw), comments, users, config.botUserId);
    },

    async postReply(ref: TicketRef, reply: ReplyInput, opts: WriteOptions) {
      await addTags(ref.externalTicketId, reply.tags);
      const res = updateResponseSchema.parse(
        await http.request({
          method: 'PUT',
          path: `${ticketPath(ref.externalTicketId)}.json`,
          body: replyBody(reply, opts.idempotencyKey, config.botUserId),
        }),
      );
      return { externalId: commentIdFrom(res, ref.externalTicketId) };
    },

    async escalate(ref: TicketRef, to: EscalationInput, opts: WriteOptions): Promise<void> {
      await addTags(ref.externalTicketId, to.tags);
      await http.request({
        method: 'PUT',
        path: `${ticketPath(ref.externalTicketId)}.json`,
        body: escalationBody(to, opts.idempotencyKey, config.botUserId),
      });
    },

    async findWrite(ref: TicketRef, opts: WriteOptions) {
      const { comments } = await listComments(ref.externalTicketId);
      const found = comments.find((c) => hasWriteMarker(c.html_body, opts.idempotencyKey));
      return found ? { externalId: found.id } : null;
    },

    async checkCredentials() {
      try {
        const raw = await http.request({ method: 'GET', path: '/api/v2/users/me.json' });
        const me = meResponseSchema.parse(raw);
        if (me.user.id === null || me.user.id === undefined) {
          const message = 'Zendesk answered as an anonymous user: credentials not accepted';
          return { ok: false, message };
        }
        if (me.user.role === 'end-user') {
          const message = `Zendesk user ${me.user.id} is an end-user; the bot needs an agent`;
          return { ok: false, message };
        }
        const role = me.user.role ?? 'agent';
        const message = `connected to ${config.subdomain} as user ${me.user.id} (${role})`;
        return { ok: true, message };
      } catch (err) {
        const prefix = err instanceof RetryableError ? 'Zendesk unavailable, try again: ' : '';
        return { ok: false, message: `${prefix}${(err as Error).message}` };
      }
    },
  };
}

/** The new comment's id is the id of the audit's Comment event. */
function commentIdFrom(
  res: ReturnType<typeof updateResponseSchema.parse>,
  ticketId: string,
): string {
  const event = res.audit?.events?.find((e) => e.type === 'Comment' && e.id);
  return event?.id ?? res.audit?.id ?? `${ticketId}:unknown-comment`;
}

/** Zendesk's next_page is an absolute URL on the real host; keep its query, use our base URL. */
function nextPageQuery(nextPage: string | null | undefined): Record<string, string> | null {
  if (!nextPage) return null;
  try {
    return Object.fromEntries(new URL(nextPage).searchParams.entries());
  } catch {
    return null;
  }
}

