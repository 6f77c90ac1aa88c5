/** Gorgias credentials: what a store gives (API body or env), which parts are secret, auth. */
import { z } from 'zod';
import type { Config } from '../../src/config/index.js';
import { basicAuth } from '../http.js';

const numericId = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^\d+$/, 'must be a numeric Gorgias user id'));

export const gorgiasConfigSchema = z
  .object({
    /** `acme` for https://acme.gorgias.com. Also part of every idempotency key. */
    account: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'the part before .gorgias.com'),
    /** Private-app auth: the key owner's email and the REST API key (HTTP Basic). */
    email: z.string().trim().email().optional(),
    apiKey: z.string().min(1).optional(),
    /** OAuth2 access token (Bearer), mandatory for public apps. */
    oauthToken: z.string().min(1).optional(),
    /**
     * Shared secret the HTTP integration sends (header X-Gorgias-Token, Authorization: Bearer,
     * or ?token=). Gorgias does not sign requests, so this must be long and random.
     */
    webhookSecret: z.string().min(16, 'use at least 16 random characters'),
    /** The Gorgias user the bot writes as; its own messages never trigger it. */
    botUserId: numericId.optional(),
    /** Overrides https://{account}.gorgias.com (sandboxes, proxies, tests). */
    baseUrl: z.string().url().optional(),
  })
  .refine((c) => Boolean(c.oauthToken || (c.email && c.apiKey)), {
    message: 'give email + apiKey (REST API key) or oauthToken',
    path: ['apiKey'],
  });

export type GorgiasConfig = z.infer<typeof gorgiasConfigSchema>;

const SECRET_FIELDS = ['email', 'apiKey', 'oauthToken', 'webhookSecret'] as const;

/** Secrets are stored encrypted; meta may be shown. Works on unvalidated input (env) too. */
export function splitGorgiasConfig(c: Partial<Record<keyof GorgiasConfig, unknown>>): {
  secrets: Record<string, unknown>;
  meta: Record<string, unknown>;
} {
  const secrets: Record<string, unknown> = {};
  for (const f of SECRET_FIELDS) if (c[f] !== undefined) secrets[f] = c[f];
  const meta: Record<string, unknown> = {
    account: c.account,
    authType: c.oauthToken ? 'oauth' : 'api_key',
  };
  if (c.botUserId !== undefined) meta.botUserId = c.botUserId;
  if (c.baseUrl !== undefined) meta.baseUrl = c.baseUrl;
  return { secrets, meta };
}

/** The demo store's connection from GORGIAS_* variables, or null when GORGIAS_ACCOUNT is unset. */
export function gorgiasConfigFromEnv(config: Config): Record<string, unknown> | null {
  if (!config.GORGIAS_ACCOUNT) return null;
  return {
    account: config.GORGIAS_ACCOUNT,
    email: config.GORGIAS_EMAIL,
    apiKey: config.GORGIAS_API_KEY,
    oauthToken: config.GORGIAS_OAUTH_TOKEN,
    webhookSecret: config.GORGIAS_WEBHOOK_SECRET,
    botUserId: config.GORGIAS_BOT_USER_ID,
    baseUrl: config.GORGIAS_BASE_URL,
  };
}

export function gorgiasBaseUrl(c: GorgiasConfig): string {
  return c.baseUrl ?? `https://${c.account}.gorgias.com`;
}

export function gorgiasAuthHeader(c: GorgiasConfig): string {
  if (c.oauthToken) return `Bearer ${c.oauthToken}`;
  return basicAuth(c.email ?? '', c.apiKey ?? '');
}
