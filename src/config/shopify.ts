import { z } from 'zod';
import { optionalString } from './env-helpers.js';

/** Shopify app credentials (Partners dashboard). Unset → the Shopify app routes answer 404. */
export const shopifyEnvSchema = z.object({
  SHOPIFY_API_KEY: optionalString(),
  SHOPIFY_API_SECRET: optionalString(),
  SHOPIFY_SCOPES: z
    .string()
    .default('read_orders,write_orders,read_customers,read_fulfillments,read_returns,write_returns'),
  SHOPIFY_API_VERSION: z.string().regex(/^(\d{4}-\d{2}|unstable)$/).default('2025-10'),
  /** Overrides https://{shop} for the Admin API (tests, proxies). */
  SHOPIFY_ADMIN_BASE_URL: optionalString(),
});
