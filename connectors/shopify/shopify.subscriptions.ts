/**
 * Webhook subscriptions registered at install (GraphQL `webhookSubscriptionCreate`). The
 * compliance topics (customers/data_request, customers/redact, shop/redact) cannot be subscribed
 * through the API: they are declared in the app configuration (`compliance_topics` in
 * shopify.app.toml, or the Partner dashboard).
 */
import type { ShopifyGraphqlClient } from './shopify.client.js';
import { WEBHOOK_SUBSCRIPTION_CREATE } from './shopify.graphql.js';

export const SUBSCRIBED_TOPICS = ['ORDERS_CREATE', 'ORDERS_UPDATED', 'FULFILLMENTS_CREATE', 'FULFILLMENTS_UPDATE', 'APP_UNINSTALLED'] as const;

export type SubscriptionOutcome = { topic: string; status: 'created' | 'exists' | 'failed'; message?: string };

/** `uri` replaced `callbackUrl` in 2025-10; `unstable` follows the newest. */
export function usesUriField(apiVersion: string): boolean {
  return apiVersion === 'unstable' || apiVersion >= '2025-10';
}

export async function registerWebhooks(
  client: ShopifyGraphqlClient,
  input: { callbackUrl: string; apiVersion: string },
): Promise<SubscriptionOutcome[]> {
  const field = usesUriField(input.apiVersion) ? 'uri' : 'callbackUrl';
  const outcomes: SubscriptionOutcome[] = [];
  for (const topic of SUBSCRIBED_TOPICS) {
    const data = await client.request<{
      webhookSubscriptionCreate: { webhookSubscription: { id: string } | null; userErrors: { message: string }[] };
    }>(WEBHOOK_SUBSCRIPTION_CREATE, { topic, webhookSubscription: { [field]: input.callbackUrl, format: 'JSON' } });
    const r = data.webhookSubscriptionCreate;
    if (r.webhookSubscription) {
      outcomes.push({ topic, status: 'created' });
    } else if (r.userErrors.some((e) => /already been taken|already exists/i.test(e.message))) {
      // A reinstall finds the subscriptions of the first install still there.
      outcomes.push({ topic, status: 'exists' });
    } else {
      outcomes.push({ topic, status: 'failed', message: r.userErrors.map((e) => e.message).join('; ') });
    }
  }
  return outcomes;
}
