import { z } from 'zod';
import { intEnv, optionalString } from './env-helpers.js';

/** Support mailbox of the demo store (single-store install). */
export const emailEnvSchema = z.object({
  /** smtp://user:pass@host:587 or smtps://… for outbound replies. */
  SMTP_URL: optionalString().pipe(z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional()),
  /** The address replies are sent from; also treated as "our own" to prevent loops. */
  EMAIL_FROM: optionalString().pipe(z.string().email().optional()),
  IMAP_HOST: optionalString(),
  IMAP_PORT: intEnv(993, 1, 65535),
  IMAP_SECURE: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  IMAP_USER: optionalString(),
  IMAP_PASSWORD: optionalString(),
  IMAP_MAILBOX: z.string().default('INBOX'),
  IMAP_POLL_SECONDS: intEnv(60, 5, 86_400),
  /** Mailgun webhook signing key for POST /webhooks/email/mailgun. */
  MAILGUN_SIGNING_KEY: optionalString(),
  /** Shared secret (?token= or X-Webhook-Token) for the Postmark and SendGrid inbound routes. */
  INBOUND_EMAIL_TOKEN: optionalString(),
});
