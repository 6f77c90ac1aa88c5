export { createShopifyClient, adminOrigin, type ShopifyClientOptions, type ShopifyGraphqlClient } from './shopify.client.js';
export { createShopifyConnector, ShopifyCommerceConnector, type ShopifyConnectorOptions } from './shopify.connector.js';
export { mapGraphqlOrder, mapCustomer, toMailingAddressInput, type GqlOrder } from './shopify.mappers.js';
export { mapWebhookOrder, mapWebhookFulfillment } from './shopify.webhook-mappers.js';
export { deriveOrderState } from './shopify.state.js';
export { isThrottled, throttleWaitMs } from './shopify.throttle.js';
export { registerWebhooks, SUBSCRIBED_TOPICS, type SubscriptionOutcome } from './shopify.subscriptions.js';
export { verifyShopifyWebhook, signShopifyBody, COMPLIANCE_TOPICS, type ShopifyWebhookMeta } from './shopify.webhooks.js';
export {
  AUTH_PATH,
  CALLBACK_PATH,
  STATE_COOKIE,
  STATE_TTL_MS,
  beginInstall,
  clearStateCookie,
  exchangeCodeForToken,
  sanitizeShop,
  shopifyLibrary,
  verifyCallback,
  type ShopifyAppConfig,
} from './shopify.oauth.js';
