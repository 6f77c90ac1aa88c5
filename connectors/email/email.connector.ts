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
import { readEmailTicket } from './email.ticket.js';
import type { EmailSettings, InboundEmail } from './email.types.js';
import { providerFromUrl, verifyEmailWebhook } from './email.webhooks.js';

export type EmailConnectorDeps = {
  db: Knex;
  logger?: Logger;
  storeId: string;
  settings: EmailSettings;
};

/**
 * The email channel as a HelpdeskConnector. Email has no helpdesk behind it, so the "ticket" is
 * our own conversation (external_id = the thread root Message-ID), its messages and the thread's
 * mail still waiting for its turn.
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

  /** Our conversation plus the thread's mail no turn has recorded yet (email.ticket.ts). */
  getTicket(ref: TicketRef): Promise<Ticket> {
    return readEmailTicket(this.deps.db, this.deps.storeId, ref);
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
