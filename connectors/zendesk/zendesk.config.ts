/** Zendesk credentials: what a store gives (API body or env), which parts are secret, auth. */
import { z } from 'zod';
import type { Config } from '../../src/config/index.js';
import { basicAuth } from '../http.js';

const numericId = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^\d+$/, 'must be a numeric Zendesk user id'));

export const zendeskConfigSchema = z
  .object({
    /** `acme` for https://acme.zendesk.com. Also part of every idempotency key. */
    subdomain: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'the part before .zendesk.com'),
    /** API-token auth: the agent's email and token (`{email}/token:{token}`). */
    email: z.string().trim().email().optional(),
    apiToken: z.string().min(1).optional(),
    /** OAuth access token (Bearer), instead of email + apiToken. */
    oauthToken: z.string().min(1).optional(),
    /** Signing secret of the webhook (X-Zendesk-Webhook-Signature). */
    webhookSecret: z.string().min(1),
    /** The user the bot posts as; its own comments never trigger it. */
    botUserId: numericId.optional(),
    /** Overrides https://{subdomain}.zendesk.com (sandboxes, proxies, tests). */
    baseUrl: z.string().url().optional(),
  })
  .refine((c) => Boolean(c.oauthToken || (c.email && c.apiToken)), {
    message: 'give email + apiToken (API token auth) or oauthToken',
    path: ['apiToken'],
  });

export type ZendeskConfig = z.infer<typeof zendeskConfigSchema>;

const SECRET_FIELDS = ['email', 'apiToken', 'oauthToken', 'webhookSecret'] as const;

/**
 * Secrets are stored encrypted; meta (subdomain, bot user, base URL, auth type) may be shown.
 * Works on unvalidated input too (env): a half-configured install never leaks a secret into meta.
 */
export function splitZendeskConfig(c: Partial<Record<keyof ZendeskConfig, unknown>>): {
  secrets: Record<string, unknown>;
  meta: Record<string, unknown>;
} {
  const secrets: Record<string, unknown> = {};
  for (const f of SECRET_FIELDS) if (c[f] !== undefined) secrets[f] = c[f];
  const meta: Record<string, unknown> = {
    subdomain: c.subdomain,
    authType: c.oauthToken ? 'oauth' : 'api_token',
  };
  if (c.botUserId !== undefined) meta.botUserId = c.botUserId;
  if (c.baseUrl !== undefined) meta.baseUrl = c.baseUrl;
  return { secrets, meta };
}

/** The demo store's connection from ZENDESK_* variables; null when ZENDESK_SUBDOMAIN is unset. */
export function zendeskConfigFromEnv(config: Config): Record<string, unknown> | null {
  if (!config.ZENDESK_SUBDOMAIN) return null;
  return {
    subdomain: config.ZENDESK_SUBDOMAIN,
    email: config.ZENDESK_EMAIL,
    apiToken: config.ZENDESK_API_TOKEN,
    oauthToken: config.ZENDESK_OAUTH_TOKEN,
    webhookSecret: config.ZENDESK_WEBHOOK_SECRET,
    botUserId: config.ZENDESK_BOT_USER_ID,
    baseUrl: config.ZENDESK_BASE_URL,
  };
}

export function zendeskBaseUrl(c: ZendeskConfig): string {
  return c.baseUrl ?? `https://${c.subdomain}.zendesk.com`;
}

/** OAuth wins when both are given (it is what a public app installs). */
export function zendeskAuthHeader(c: ZendeskConfig): string {
  if (c.oauthToken) return `Bearer ${c.oauthToken}`;
  return basicAuth(`${c.email}/token`, c.apiToken ?? '');
}
