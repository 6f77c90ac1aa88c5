import { z } from 'zod';
import { intEnv, optionalString, urlEnv } from './env-helpers.js';

/**
 * Helpdesk connection of the demo store, for a single-store install. Multi-store installs keep
 * per-store credentials encrypted in the database instead (connector_credentials).
 */
export const helpdeskEnvSchema = z.object({
  ZENDESK_SUBDOMAIN: optionalString(),
  ZENDESK_EMAIL: optionalString(),
  ZENDESK_API_TOKEN: optionalString(),
  ZENDESK_OAUTH_TOKEN: optionalString(),
  /** Signing secret of the Zendesk webhook (X-Zendesk-Webhook-Signature). */
  ZENDESK_WEBHOOK_SECRET: optionalString(),
  /** The Zendesk user the bot posts as; its own comments never trigger it. */
  ZENDESK_BOT_USER_ID: optionalString(),
  /** Overrides https://{subdomain}.zendesk.com (sandboxes, proxies, tests). */
  ZENDESK_BASE_URL: urlEnv(),
  GORGIAS_ACCOUNT: optionalString(),
  GORGIAS_EMAIL: optionalString(),
  GORGIAS_API_KEY: optionalString(),
  GORGIAS_OAUTH_TOKEN: optionalString(),
  /** Shared secret the Gorgias HTTP integration sends (header or ?token=). */
  GORGIAS_WEBHOOK_SECRET: optionalString(),
  GORGIAS_BOT_USER_ID: optionalString(),
  /** Overrides https://{account}.gorgias.com. */
  GORGIAS_BASE_URL: urlEnv(),
  /** Timeout of one Zendesk/Gorgias API request, in ms (a timeout is retried like a 5xx). */
  HELPDESK_HTTP_TIMEOUT_MS: intEnv(10_000, 500, 120_000),
  /**
   * Share of the helpdesk account's API rate limit the bot leaves to agents and other apps: when
   * the vendor says less remains, the bot's calls wait for the budget to refill. 0 spends it all.
   */
  HELPDESK_API_RESERVE_PERCENT: intEnv(20, 0, 90),
});
