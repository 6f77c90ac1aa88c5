/**
 * Gorgias: HTTP-integration webhooks authenticated by a shared secret (Gorgias does not sign
 * requests), the tickets and messages API, `internal-note` for drafts, public replies on the
 * ticket's channel, reassignment to a user or team, tags.
 */
import { PermanentError, RetryableError } from '../../src/errors.js';
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
import { bearerToken, constantTimeEqual, headerValue } from '../verify.js';
import { gorgiasBudget } from './gorgias.budget.js';
import { gorgiasAuthHeader, gorgiasBaseUrl, type GorgiasConfig } from './gorgias.config.js';
import {
  draftBody,
  escalationUpdateBody,
  mergedTags,
  noteBody,
  parseGorgiasWebhook,
  publicReplyBody,
  toTicket,
} from './gorgias.mappers.js';
import {
  accountSchema,
  createdMessageSchema,
  messagesPageSchema,
  ticketSchema,
  type GorgiasMessage,
  type GorgiasTicket,
} from './gorgias.schemas.js';

const TOKEN_HEADER = 'x-gorgias-token';
/** Pages of messages read when a ticket does not embed them, or when looking for our own write. */
const MAX_MESSAGE_PAGES = 10;

export function createGorgiasConnector(
  config: GorgiasConfig,
  deps: ConnectorDeps = {},
): HelpdeskConnector {
  const http = createHttpClient({
    ...deps,
    vendor: 'Gorgias',
    baseUrl: gorgiasBaseUrl(config),
    headers: { authorization: gorgiasAuthHeader(config) },
    budget: gorgiasBudget,
  });
  const ticketPath = (id: string) => `/api/tickets/${encodeURIComponent(id)}`;

  async function listMessages(ticketId: string): Promise<GorgiasMessage[]> {
    const out: GorgiasMessage[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_MESSAGE_PAGES; page++) {
      const res = messagesPageSchema.parse(
        await http.request({
          method: 'GET',
          path: `${ticketPath(ticketId)}/messages`,
          query: { cursor },
        }),
      );
      out.push(...res.data);
      cursor = res.meta?.next_cursor ?? undefined;
      if (!cursor) break;
    }
    return out;
  }

  async function loadTicket(
    ticketId: string,
  ): Promise<{ ticket: GorgiasTicket; messages: GorgiasMessage[] }> {
    const raw = await http.request({ method: 'GET', path: ticketPath(ticketId) });
    const ticket = ticketSchema.parse(raw);
    const messages = ticket.messages ?? (await listMessages(ticketId));
    return { ticket, messages };
  }

  async function putTicket(ticketId: string, body: Record<string, unknown>): Promise<void> {
    // Setting assignee/tags to the same values twice changes nothing: safe to retry in the call.
    await http.request({ method: 'PUT', path: ticketPath(ticketId), body, idempotent: true });
  }

  async function postMessage(
    ticketId: string,
    body: Record<string, unknown>,
  ): Promise<{ externalId: string }> {
    const created = createdMessageSchema.parse(
      await http.request({ method: 'POST', path: `${ticketPath(ticketId)}/messages`, body }),
    );
    return { externalId: created.id };
  }

  return {
    kind: 'gorgias',

    verifyWebhook(req: WebhookRequest): VerifyResult {
      const given = headerValue(req, TOKEN_HEADER) ?? bearerToken(req) ?? nonEmpty(req.query.token);
      if (!given) return { ok: false, reason: 'missing_signature' };
      const ok = constantTimeEqual(given, config.webhookSecret);
      return ok ? { ok: true } : { ok: false, reason: 'bad_signature' };
    },

    parseWebhook(body: unknown, req: WebhookRequest): ParsedWebhook {
      const { account, botUserId } = config;
      return parseGorgiasWebhook(body, { account, botUserId, now: req.now });
    },

    async getTicket(ref: TicketRef): Promise<Ticket> {
      const { ticket, messages } = await loadTicket(ref.externalTicketId);
      return toTicket(ticket, messages, config.botUserId);
    },

    async postReply(ref: TicketRef, reply: ReplyInput, opts: WriteOptions) {
      const id = ref.externalTicketId;
      const needsTicket = reply.visibility === 'public' || Boolean(reply.tags?.length);
      const loaded = needsTicket ? await loadTicket(id) : null;
      // Tags first: repeating them is harmless, so a retry after a failed message loses nothing.
      if (loaded && reply.tags?.length) {
        await putTicket(id, { tags: mergedTags(loaded.ticket, reply.tags) });
      }
      const body =
        reply.visibility === 'public' && loaded
          ? publicReplyBody(reply, opts.idempotencyKey, loaded, config.botUserId)
          : draftBody(reply, opts.idempotencyKey, config.botUserId);
      return postMessage(id, body);
    },

    async escalate(ref: TicketRef, to: EscalationInput, opts: WriteOptions): Promise<void> {
      const id = ref.externalTicketId;
      const { ticket } = await loadTicket(id);
      try {
        await putTicket(id, escalationUpdateBody(to, ticket, true));
      } catch (err) {
        // Writable priority values are [U]: if Gorgias refuses the field, the priority:<level>
        // tag still carries it and the reassignment must not be lost.
        if (!(err instanceof PermanentError) || !to.priority) throw err;
        await putTicket(id, escalationUpdateBody(to, ticket, false));
      }
      await postMessage(id, noteBody(to.note, undefined, opts.idempotencyKey, config.botUserId));
    },

    async findWrite(ref: TicketRef, opts: WriteOptions) {
      const messages = await listMessages(ref.externalTicketId);
      const found = messages.find((m) => m.external_id === opts.idempotencyKey);
      return found ? { externalId: found.id } : null;
    },

    async checkCredentials() {
      try {
        const raw = await http.request({ method: 'GET', path: '/api/account' });
        const account = accountSchema.parse(raw);
        const name = account.domain ?? config.account;
        return { ok: true, message: `connected to Gorgias account ${name}` };
      } catch (err) {
        const prefix = err instanceof RetryableError ? 'Gorgias unavailable, try again: ' : '';
        return { ok: false, message: `${prefix}${(err as Error).message}` };
      }
    },
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v && v.trim() !== '' ? v.trim() : undefined;
}
