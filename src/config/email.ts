import { z } from 'zod';
import { intEnv, optionalString } from './env-helpers.js';

/**
 * Support mailbox of the demo store (single-store install). Other stores keep theirs in
 * connector credentials of kind 'email'. The two webhook secrets are install-wide: they apply to
 * every store that has none of its own.
 */
export const emailEnvSchema = z.object({
  /** smtp://user:pass@host:587 or smtps://… for outbound replies. */
  SMTP_URL: optionalString().pipe(z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional()),
  /** The address replies are sent from; also treated as "our own" to prevent loops. */
  EMAIL_FROM: optionalString().pipe(z.string().email().optional()),
  /** Display name on replies (default: the store's name). */
  EMAIL_FROM_NAME: optionalString(),
  /** Other addresses of the mailbox (aliases), comma-separated: mail from them is never answered. */
  EMAIL_ADDRESSES: optionalString(),
  IMAP_HOST: optionalString(),
  IMAP_PORT: intEnv(993, 1, 65535),
  IMAP_SECURE: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  IMAP_USER: optionalString(),
  IMAP_PASSWORD: optionalString(),
  IMAP_MAILBOX: z.string().default('INBOX'),
  /** Folder processed mail is moved to (created by you); unset = processed mail is only flagged \Seen. */
  IMAP_PROCESSED_MAILBOX: optionalString(),
  IMAP_POLL_SECONDS: intEnv(60, 5, 86_400),
  /** On the first poll (or after UIDVALIDITY changes) only unseen mail this recent is read. */
  IMAP_LOOKBACK_DAYS: intEnv(7, 1, 365),
  /** Messages one sender may get processed per 24 h (so at most this many automatic replies). */
  EMAIL_MAX_PER_SENDER_PER_DAY: intEnv(10, 1, 10_000),
  /** Mailgun webhook signing key for POST /webhooks/email/mailgun. */
  MAILGUN_SIGNING_KEY: optionalString(),
  /** Shared secret (?token= or X-Webhook-Token) for the Postmark and SendGrid inbound routes. */
  INBOUND_EMAIL_TOKEN: optionalString(),
});
