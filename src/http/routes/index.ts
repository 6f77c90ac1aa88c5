import type { AppContext } from '../../app/context.js';
import { meRouter } from '../../api/me.js';
import { dataExportsRouter } from '../../api/data-exports.js';
import { storesRouter } from '../../api/stores.js';
import { connectorsRouter } from '../../api/connectors.js';
import { knowledgeRouter } from '../../api/knowledge.js';
import { conversationsRouter } from '../../api/conversations.js';
import { approvalsRouter } from '../../api/approvals.js';
import { apiKeysRouter } from '../../api/api-keys.js';
import { analyticsRouter } from '../../api/analytics.js';
import { inboundEventsRouter } from '../../api/inbound-events.js';
import { openApiRouter } from '../../api/openapi.js';
import { helpdeskWebhooksRouter, helpdeskWebhookTargets } from '../webhooks/helpdesk.js';
import { shopifyWebhooksRouter } from '../webhooks/shopify.js';
import { emailWebhooksRouter } from '../webhooks/email.js';
import { shopifyAuthRouter } from '../shopify-auth.js';
import { dashboardRouter } from '../dashboard.js';
import type { RouteModule } from '../app.js';

/** Every route module of the web process, in one place. */
export function routeModules(ctx: AppContext): RouteModule[] {
  // One per process, shared: a connection or settings changed through the API are forgotten by
  // the webhooks (the store's reply delay applies at intake).
  const targets = helpdeskWebhookTargets(ctx);
  const changed = (storeId: string) => targets.forgetStore(storeId);
  return [
    { path: '/api/v1', router: meRouter(ctx) },
    { path: '/api/v1', router: dataExportsRouter(ctx) },
    { path: '/api/v1', router: storesRouter(ctx, { changed }) },
    { path: '/api/v1', router: connectorsRouter(ctx, { changed }) },
    { path: '/api/v1', router: knowledgeRouter(ctx) },
    { path: '/api/v1', router: conversationsRouter(ctx) },
    { path: '/api/v1', router: approvalsRouter(ctx) },
    { path: '/api/v1', router: apiKeysRouter(ctx) },
    { path: '/api/v1', router: analyticsRouter(ctx) },
    { path: '/api/v1', router: inboundEventsRouter(ctx) },
    { path: '/api/v1', router: openApiRouter() },
    { path: '/webhooks', router: helpdeskWebhooksRouter(ctx, { targets }), rawBody: true },
    { path: '/webhooks', router: shopifyWebhooksRouter(ctx), rawBody: true },
    { path: '/webhooks', router: emailWebhooksRouter(ctx), rawBody: true },
    { path: '/shopify', router: shopifyAuthRouter(ctx) },
    { path: '/dashboard', router: dashboardRouter(ctx) },
  ];
}
