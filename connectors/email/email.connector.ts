import type { Knex } from 'knex';
import { PermanentError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import { sha256Hex } from '../../src/security/crypto.js';
import { findStore, type Store } from '../../src/store/stores.js';
import type {
  EscalationInput,
  HelpdeskConnector,
  ParsedWebhook,
  ReplyInput,
  Ticket,
  TicketMessage,
  TicketRef,
  VerifyResult,
  WebhookRequest,
  WriteOptions,
} from '../types.js';
import { imapClient } from './email.imap-poller.js';
import { shouldIgnore } from './email.loop-guard.js';
import { emailIdempotencyKey, toInboundEvent } from './email.parse.js';
import { resolveReplyTarget } from './email.reply-target.js';
import { deterministicMessageId, sendMail, verifySmtp } from './email.smtp.js';
import { buildReplyHeaders, provisionalThreadRoot, replySubject } from './email.threading.js';
import type { EmailSettings, InboundEmail } from './email.types.js';
import { providerFromUrl, verifyEmailWebhook } from './email.webhooks.js';

export type EmailConnectorDeps = {
  db: Knex;
  logger?: Logger;
  storeId: string;
  settings: EmailSettings;
};

/**
 * Conversation status → ticket status. A customer's new mail reopens a resolved or abandoned
 * thread (as a helpdesk reopens a solved ticket on a new comment); only a closed one stays shut.
 */
const STATUS: Record<string, Ticket['status']> = {
  active: 'open',
  escalated: 'pending',
  resolved: 'open',
  abandoned: 'open',
  closed: 'closed',
};
const AUTHOR: Record<string, TicketMessage['author']> = {
  user: 'customer',
  assistant: 'bot',
  agent: 'agent',
  system: 'system',
};

/**
 * The email channel as a HelpdeskConnector. Email has no helpdesk behind it, so the "ticket" is
 * our own conversation (external_id = the thread root Message-ID) and its messages.
 * - postReply 'public' sends over SMTP, threaded, and returns the Message-ID (store it as the
 *   message's external_id: answers to it then find the thread).
 * - postReply 'draft' sends and stores nothing: the caller keeps the draft in `messages` with
 *   status 'pending_approval'; approving it calls postReply again with 'public' (new key).
 * - escalate forwards a summary to settings.escalation.email.forwardTo, or records nothing to do.
 */
export class EmailConnector implements HelpdeskConnector {
  readonly kind = 'email' as const;
  private storeRow: Promise<Store> | undefined;

  constructor(private readonly deps: EmailConnectorDeps) {}

  /** The resolved channel, for the webhook route and poller. Holds secrets: never put it in a response. */
  get settings(): EmailSettings {
    return this.deps.settings;
  }

  verifyWebhook(req: WebhookRequest): VerifyResult {
    const provider = providerFromUrl(req.url);
    if (!provider) return { ok: false, reason: 'malformed' };
    return verifyEmailWebhook(provider, req, this.deps.settings);
  }

  /**
   * `body` is the InboundEmail that decodeEmailWebhook produced (decoding raw MIME is async, this
   * is not). Applies the loop guard; the thread root is provisional (the route and poller refine
   * it against our tables through ingestInboundEmail).
   */
  parseWebhook(body: unknown, req: WebhookRequest): ParsedWebhook {
    const email = body as InboundEmail;
    if (!email || typeof email !== 'object' || !('headers' in email)) {
      throw new Error('email: expected a decoded InboundEmail');
    }
    const guard = shouldIgnore(email.headers, email.from?.address, this.deps.settings.ownAddresses);
    if (guard.ignore) return { kind: 'ignored', reason: guard.reason };
    const provider = providerFromUrl(req.url) ?? 'mailgun';
    return {
      kind: 'message',
      idempotencyKey: emailIdempotencyKey(email),
      event: toInboundEvent(email, provisionalThreadRoot(email), provider, req.now),
    };
  }

  async getTicket(ref: TicketRef): Promise<Ticket> {
    const { db, storeId } = this.deps;
    const conv = await db('conversations')
      .where({ store_id: storeId, channel: 'email', external_id: ref.externalTicketId })
      .first('id', 'status', 'subject', 'customer_email', 'assigned_agent', 'metadata');
    const meta = (ref.meta ?? {}) as Record<string, unknown>;
    if (!conv) {
      // The first message of a thread: the pipeline has not created the conversation yet.
      return {
        id: ref.externalTicketId,
        status: 'new',
        subject: typeof meta.subject === 'string' ? meta.subject : null,
        requester: { id: null, email: typeof meta.from === 'string' ? meta.from : null, name: null },
        assigneeId: null,
        tags: [],
        channel: 'email',
        messages: [],
      };
    }
    const rows = await db('messages')
      .where({ conversation_id: conv.id })
      .whereNot({ status: 'rejected' })
      .orderBy('created_at', 'asc')
      .select('id', 'role', 'content', 'external_id', 'delivery', 'status', 'created_at');
    return {
      id: ref.externalTicketId,
      status: STATUS[conv.status] ?? 'open',
      subject: conv.subject ?? null,
      requester: { id: null, email: conv.customer_email ?? null, name: null },
      // An escalated thread belongs to the team it was forwarded to: the bot stays out of it.
      assigneeId: conv.assigned_agent ?? (conv.status === 'escalated' ? 'email-team' : null),
      tags: [],
      channel: 'email',
      messages: rows.map((m) => ({
        id: m.external_id ?? m.id,
        author: AUTHOR[m.role] ?? 'system',
        authorId: null,
        body: m.content,
        // Drafts and internal notes never reached the customer.
        public: m.role === 'user' || (m.delivery === 'public' && m.status === 'sent'),
        createdAt: new Date(m.created_at).toISOString(),
      })),
    };
  }

  async postReply(ref: TicketRef, reply: ReplyInput, opts: WriteOptions): Promise<{ externalId: string }> {
    if (reply.visibility === 'draft') {
      return { externalId: `draft:${sha256Hex(opts.idempotencyKey).slice(0, 32)}` };
    }
    const sent = await this.findSent(opts.idempotencyKey);
    if (sent) return sent;
    const { settings, storeId, db } = this.deps;
    const from = this.fromAddress((await this.store()).name);
    const target = await resolveReplyTarget(db, storeId, ref);
    if (settings.ownAddresses.includes(target.to.toLowerCase())) {
      throw new PermanentError('email: refusing to reply to our own address');
    }
    const threading = buildReplyHeaders({
      messageId: target.parentMessageId,
      references: target.parentReferences,
      inReplyTo: target.parentInReplyTo,
      threadRoot: target.threadRoot,
    });
    const messageId = deterministicMessageId(storeId, opts.idempotencyKey, from.address);
    await sendMail(settings.smtp!, {
      from,
      to: target.to,
      subject: replySubject(target.subject),
      text: reply.body,
      html: reply.bodyHtml,
      messageId,
      inReplyTo: threading.inReplyTo,
      references: threading.references,
      idempotencyKey: opts.idempotencyKey,
      autoSubmitted: 'auto-replied',
    });
    await this.recordSent(messageId, target.threadRoot, opts.idempotencyKey, 'reply');
    return { externalId: messageId };
  }

  async escalate(ref: TicketRef, to: EscalationInput, opts: WriteOptions): Promise<void> {
    const { db, storeId, logger, settings } = this.deps;
    const store = await this.store();
    const forwardTo = store.settings.escalation.email.forwardTo;
    if (!forwardTo) {
      logger?.info(
        { storeId, component: 'email-connector' },
        'escalation: no forwardTo address set, nothing sent',
      );
      return;
    }
    if (await this.findSent(opts.idempotencyKey)) return;
    const from = this.fromAddress(store.name);
    const target = await resolveReplyTarget(db, storeId, ref).catch(() => null);
    const lines = [
      'A customer conversation needs a person.',
      '',
      to.note,
      '',
      `Customer: ${target?.to ?? 'unknown'}`,
      `Subject: ${target?.subject ?? '(none)'}`,
      to.priority ? `Priority: ${to.priority}` : null,
      to.tags?.length ? `Tags: ${to.tags.join(', ')}` : null,
      `Thread: ${ref.externalTicketId}`,
      '',
      'Reply to this message to answer the customer directly.',
    ].filter((l): l is string => l !== null);
    const messageId = deterministicMessageId(storeId, opts.idempotencyKey, from.address);
    await sendMail(settings.smtp!, {
      from,
      to: forwardTo,
      subject: `[Escalation] ${target?.subject ?? 'customer conversation'}`,
      text: lines.join('\n'),
      messageId,
      replyTo: target?.to,
      idempotencyKey: opts.idempotencyKey,
      autoSubmitted: 'auto-generated',
    });
    await this.recordSent(messageId, null, opts.idempotencyKey, 'escalation');
  }

  /** A mail sent under this key: our outbound log, else a message the pipeline stored with it. */
  async findWrite(_ref: TicketRef, opts: WriteOptions): Promise<{ externalId: string } | null> {
    const sent = await this.findSent(opts.idempotencyKey);
    if (sent) return sent;
    const msg = await this.deps.db('messages')
      .where({ store_id: this.deps.storeId })
      .whereRaw("metadata->>'idempotencyKey' = ?", [opts.idempotencyKey])
      .whereNotNull('external_id')
      .first('external_id');
    return msg ? { externalId: msg.external_id } : null;
  }

  async checkCredentials(): Promise<{ ok: boolean; message: string }> {
    const { smtp, imap, fromAddress } = this.deps.settings;
    if (!smtp || !fromAddress) return { ok: false, message: 'SMTP server and From address are required' };
    const smtpCheck = await verifySmtp(smtp);
    if (!smtpCheck.ok || !imap) return smtpCheck;
    const client = imapClient(imap);
    client.on('error', () => {});
    try {
      await client.connect();
      await client.logout();
      return { ok: true, message: 'SMTP and IMAP accepted the connection and login' };
    } catch (err) {
      const e = err as { authenticationFailed?: boolean; code?: string };
      const message = e.authenticationFailed ? 'IMAP login rejected' : `IMAP check failed (${e.code ?? 'error'})`;
      return { ok: false, message };
    }
  }

  private fromAddress(storeName: string): { address: string; name: string | null } {
    const { settings } = this.deps;
    if (!settings.smtp || !settings.fromAddress) {
      throw new PermanentError('email: SMTP server and From address are not configured');
    }
    return { address: settings.fromAddress, name: settings.fromName ?? storeName };
  }

  /** The store's name (From display name) and escalation settings, read when first needed. */
  private async store(): Promise<Store> {
    this.storeRow ??= findStore(this.deps.db, this.deps.storeId).then((s) => {
      if (!s) throw new PermanentError('email: store not found');
      return s;
    });
    return this.storeRow;
  }

  private async findSent(idempotencyKey: string): Promise<{ externalId: string } | null> {
    const row = await this.deps.db('email_outbound')
      .where({ store_id: this.deps.storeId, idempotency_key: idempotencyKey })
      .first('message_id');
    return row ? { externalId: row.message_id } : null;
  }

  private async recordSent(messageId: string, threadRoot: string | null, key: string, kind: string) {
    await this.deps.db('email_outbound')
      .insert({
        store_id: this.deps.storeId,
        message_id: messageId,
        thread_root: threadRoot,
        idempotency_key: key,
        kind,
      })
      .onConflict(['store_id', 'idempotency_key'])
      .ignore();
  }
}
