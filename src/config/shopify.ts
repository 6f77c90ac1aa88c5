import { z } from 'zod';
import { optionalString } from './env-helpers.js';

/** Shopify app credentials (Partners dashboard). Unset → the Shopify app routes answer 404. */
export const shopifyEnvSchema = z.object({
  SHOPIFY_API_KEY: optionalString(),
  SHOPIFY_API_SECRET: optionalString(),
  /**
   * The secret before a rotation: Shopify may sign with the old one for up to an hour after the
   * new one is issued, so webhooks signed with either are accepted while this is set.
   */
  SHOPIFY_API_SECRET_PREVIOUS: optionalString(),
  SHOPIFY_SCOPES: z
    .string()
    .default('read_orders,write_orders,read_customers,read_fulfillments,read_returns,write_returns'),
  SHOPIFY_API_VERSION: z.string().regex(/^(\d{4}-\d{2}|unstable)$/).default('2025-10'),
  /**
   * Overrides https://{shop} for the Admin API and the OAuth token exchange (tests, proxies).
   * May contain `{shop}`, replaced by the shop domain.
   */
  SHOPIFY_ADMIN_BASE_URL: optionalString(),
});
