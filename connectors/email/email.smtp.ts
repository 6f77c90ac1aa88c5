import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { PermanentError, RetryableError } from '../../src/errors.js';
import { sha256Hex } from '../../src/security/crypto.js';
import type { SmtpConfig } from './email.types.js';

/**
 * Outbound SMTP: one pooled nodemailer transport per distinct server/login (cached, so a worker
 * reuses connections across jobs), TLS required except on loopback, and every mail we send
 * marked as automatic so other robots do not answer it.
 */

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** SMTP_URL or stored credentials → nodemailer pool options. */
export function smtpOptions(cfg: SmtpConfig): SMTPPool.Options {
  let host: string;
  let port: number;
  let secure: boolean;
  let user: string | undefined;
  let pass: string | undefined;
  if ('url' in cfg) {
    const url = new URL(cfg.url);
    secure = url.protocol === 'smtps:';
    host = url.hostname;
    port = url.port ? Number(url.port) : secure ? 465 : 587;
    user = url.username ? decodeURIComponent(url.username) : undefined;
    pass = url.password ? decodeURIComponent(url.password) : undefined;
  } else {
    ({ host, port, secure, user, pass } = cfg);
  }
  const loopback = LOOPBACK.has(host);
  return {
    pool: true,
    host,
    port,
    secure,
    // Plain SMTP must upgrade with STARTTLS; only a server on this machine may be spoken to in clear.
    requireTLS: !secure && !loopback,
    ignoreTLS: loopback && !secure,
    tls: { minVersion: 'TLSv1.2', servername: host },
    auth: user ? { user, pass: pass ?? '' } : undefined,
    maxConnections: 3,
    maxMessages: 100,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  };
}

const transports = new Map<string, Transporter<SMTPPool.SentMessageInfo>>();

/** The pooled transport for this server and login (created on first use). */
export function smtpTransport(cfg: SmtpConfig): Transporter<SMTPPool.SentMessageInfo> {
  const key = sha256Hex(JSON.stringify(cfg));
  let t = transports.get(key);
  if (!t) {
    t = nodemailer.createTransport(smtpOptions(cfg));
    transports.set(key, t);
  }
  return t;
}

/** Closes every pooled connection (graceful shutdown, end of tests). */
export function closeSmtpTransports(): void {
  for (const t of transports.values()) t.close();
  transports.clear();
}

/** The domain of our Message-IDs: the store's From address's. */
export function messageIdDomain(fromAddress: string): string {
  return fromAddress.split('@')[1]?.toLowerCase() || 'hsb.invalid';
}

/**
 * A Message-ID derived from the write's idempotency key: a retry after a crash sends the same id
 * (so mail clients show one message) and our tables can recognise it.
 */
export function deterministicMessageId(storeId: string, key: string, fromAddress: string): string {
  const local = sha256Hex(`${storeId}:${key}`).slice(0, 32);
  return `<hsb.${local}@${messageIdDomain(fromAddress)}>`;
}

export type OutgoingMail = {
  from: { address: string; name: string | null };
  to: string;
  subject: string;
  text: string;
  html?: string;
  messageId: string;
  inReplyTo?: string | null;
  references?: string[];
  replyTo?: string;
  idempotencyKey: string;
  /** RFC 3834: auto-replied for answers, auto-generated for our own notifications. */
  autoSubmitted: 'auto-replied' | 'auto-generated';
};

/** SMTP failures → job errors: 4xx and network trouble retry; 5xx and bad logins do not. */
export function classifySmtpError(err: unknown): Error {
  const e = err as { code?: string; responseCode?: number; message?: string };
  const message = `SMTP: ${e.message ?? 'send failed'}`;
  if (e.code === 'EAUTH') return new PermanentError(message, e.responseCode, { cause: err });
  if (typeof e.responseCode === 'number' && e.responseCode >= 500) {
    return new PermanentError(message, e.responseCode, { cause: err });
  }
  return new RetryableError(message, undefined, { cause: err });
}

/** Sends one mail with our loop-prevention headers. Returns the Message-ID used. */
export async function sendMail(cfg: SmtpConfig, mail: OutgoingMail): Promise<{ messageId: string }> {
  try {
    await smtpTransport(cfg).sendMail({
      from: { address: mail.from.address, name: mail.from.name ?? '' },
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      inReplyTo: mail.inReplyTo ?? undefined,
      references: mail.references && mail.references.length > 0 ? mail.references : undefined,
      replyTo: mail.replyTo,
      headers: {
        'Auto-Submitted': mail.autoSubmitted,
        'X-Auto-Response-Suppress': 'All',
        'X-HSB-Key': mail.idempotencyKey,
      },
    });
  } catch (err) {
    throw classifySmtpError(err);
  }
  return { messageId: mail.messageId };
}

/** Checks the server answers and accepts the login. */
export async function verifySmtp(cfg: SmtpConfig): Promise<{ ok: boolean; message: string }> {
  try {
    await smtpTransport(cfg).verify();
    return { ok: true, message: 'SMTP server accepted the connection and login' };
  } catch (err) {
    const e = err as { code?: string; responseCode?: number };
    return { ok: false, message: `SMTP check failed (${e.code ?? e.responseCode ?? 'error'})` };
  }
}
