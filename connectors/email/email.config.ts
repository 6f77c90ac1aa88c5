import type { Knex } from 'knex';
import { z } from 'zod';
import type { Config } from '../../src/config/index.js';
import { loadCredentials } from '../../src/store/credentials.js';
import type { EmailSettings, ImapConfig, SmtpConfig } from './email.types.js';

/**
 * Per-store email credentials (connector_credentials kind 'email'). `secrets` is encrypted at rest;
 * `meta` holds what may be shown (addresses, folder names, limits).
 */
export const emailSecretsSchema = z.object({
  smtp: z
    .union([
      z.object({ url: z.string().regex(/^smtps?:\/\//) }),
      z.object({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65535).default(587),
        secure: z.boolean().default(false),
        user: z.string().optional(),
        pass: z.string().optional(),
      }),
    ])
    .optional(),
  imap: z
    .object({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535).default(993),
      secure: z.boolean().default(true),
      user: z.string().min(1),
      pass: z.string().min(1),
    })
    .optional(),
  mailgunSigningKey: z.string().min(1).optional(),
  inboundToken: z.string().min(1).optional(),
});

export const emailMetaSchema = z.object({
  fromAddress: z.string().email().optional(),
  fromName: z.string().max(200).optional(),
  /** Aliases of the support mailbox. */
  addresses: z.array(z.string().email()).default([]),
  mailbox: z.string().min(1).default('INBOX'),
  processedMailbox: z.string().min(1).optional(),
  pollSeconds: z.number().int().min(5).max(86_400).optional(),
  lookbackDays: z.number().int().min(1).max(365).optional(),
  maxPerSenderPerDay: z.number().int().min(1).max(10_000).optional(),
});

export type EmailSecrets = z.infer<typeof emailSecretsSchema>;
export type EmailMeta = z.input<typeof emailMetaSchema>;

export type StoredEmailConnection = { secrets: Record<string, unknown>; meta: Record<string, unknown> };

type StoreRef = { id: string; slug: string };
type Deps = { db: Knex; encryptionKey: Buffer; config: Config };

const DEMO_SLUG = 'demo';

/** Everything a store may PUT for its email channel (one flat object), split into secrets and meta. */
export const emailConfigInputSchema = emailSecretsSchema
  .extend(emailMetaSchema.shape)
  .extend({ fromAddress: z.string().email(), inboundToken: z.string().min(16).optional() })
  .refine((v) => v.smtp !== undefined, {
    path: ['smtp'],
    message: 'an SMTP server is required to send replies',
  });

export function splitEmailConfig(input: z.infer<typeof emailConfigInputSchema>): StoredEmailConnection {
  const { smtp, imap, mailgunSigningKey, inboundToken, ...meta } = input;
  const smtpHost = smtp && 'url' in smtp ? new URL(smtp.url).hostname : smtp?.host;
  return {
    secrets: { smtp, imap, mailgunSigningKey, inboundToken },
    // Hosts are shown in the API so a team can see what is connected; logins and passwords are not.
    meta: { ...meta, smtpHost, imapHost: imap?.host ?? null },
  };
}

/** The environment's mailbox (SMTP_URL, EMAIL_FROM, IMAP_*…) as a stored connection; null when unused. */
export function emailConnectionFromEnv(config: Config): StoredEmailConnection | null {
  const used = [
    config.EMAIL_FROM,
    config.SMTP_URL,
    config.IMAP_HOST,
    config.MAILGUN_SIGNING_KEY,
    config.INBOUND_EMAIL_TOKEN,
  ].some(Boolean);
  if (!used) return null;
  const imap =
    config.IMAP_HOST && config.IMAP_USER && config.IMAP_PASSWORD
      ? {
          host: config.IMAP_HOST,
          port: config.IMAP_PORT,
          secure: config.IMAP_SECURE,
          user: config.IMAP_USER,
          pass: config.IMAP_PASSWORD,
        }
      : undefined;
  const addresses = (config.EMAIL_ADDRESSES ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  return {
    secrets: {
      smtp: config.SMTP_URL ? { url: config.SMTP_URL } : undefined,
      imap,
      mailgunSigningKey: config.MAILGUN_SIGNING_KEY,
      inboundToken: config.INBOUND_EMAIL_TOKEN,
    },
    meta: {
      fromAddress: config.EMAIL_FROM,
      fromName: config.EMAIL_FROM_NAME,
      addresses,
      mailbox: config.IMAP_MAILBOX,
      processedMailbox: config.IMAP_PROCESSED_MAILBOX,
      pollSeconds: config.IMAP_POLL_SECONDS,
      lookbackDays: config.IMAP_LOOKBACK_DAYS,
      maxPerSenderPerDay: config.EMAIL_MAX_PER_SENDER_PER_DAY,
    },
  };
}

function ownAddresses(...lists: (string | null | undefined | string[])[]): string[] {
  const all = lists.flat().filter((a): a is string => typeof a === 'string' && a.includes('@'));
  return [...new Set(all.map((a) => a.trim().toLowerCase()))];
}

/**
 * Settings from a stored connection (the store's credentials, or the environment's for the demo
 * store). Install-wide webhook secrets and limits fill what the connection leaves out.
 * Throws ZodError on invalid credentials.
 */
export function emailSettingsFromConnection(config: Config, stored: StoredEmailConnection): EmailSettings {
  const secrets = emailSecretsSchema.parse(stored.secrets);
  const meta = emailMetaSchema.parse(stored.meta);
  const imap: ImapConfig | null = secrets.imap
    ? {
        ...secrets.imap,
        mailbox: meta.mailbox,
        processedMailbox: meta.processedMailbox ?? null,
        pollSeconds: meta.pollSeconds ?? config.IMAP_POLL_SECONDS,
        lookbackDays: meta.lookbackDays ?? config.IMAP_LOOKBACK_DAYS,
        rejectUnauthorized: true,
      }
    : null;
  const smtp: SmtpConfig | null = secrets.smtp ?? null;
  return {
    fromAddress: meta.fromAddress ?? null,
    fromName: meta.fromName ?? null,
    ownAddresses: ownAddresses(meta.fromAddress, meta.addresses, secrets.imap?.user),
    smtp,
    imap,
    mailgunSigningKey: secrets.mailgunSigningKey ?? config.MAILGUN_SIGNING_KEY ?? null,
    inboundToken: secrets.inboundToken ?? config.INBOUND_EMAIL_TOKEN ?? null,
    maxPerSenderPerDay: meta.maxPerSenderPerDay ?? config.EMAIL_MAX_PER_SENDER_PER_DAY,
  };
}

/**
 * A store's email channel: its own credentials when it has them; else the environment's mailbox
 * for the demo store; else only the install-wide webhook secrets (no mailbox, no SMTP).
 */
export async function resolveEmailSettings(deps: Deps, store: StoreRef): Promise<EmailSettings> {
  const creds = await loadCredentials(deps.db, deps.encryptionKey, store.id, 'email');
  if (creds) return emailSettingsFromConnection(deps.config, creds);
  const env = store.slug === DEMO_SLUG ? emailConnectionFromEnv(deps.config) : null;
  return emailSettingsFromConnection(deps.config, env ?? { secrets: {}, meta: {} });
}
