/**
 * The Shopify app install routes (mounted at '/shopify'; paths are AUTH_PATH and CALLBACK_PATH):
 * - GET /shopify/auth?shop=acme.myshopify.com → 302 to Shopify's authorize page, with the signed
 *   state cookie (this is the app URL: Shopify also opens it with hmac/timestamp/host, checked then).
 * - GET /shopify/auth/callback → checks (shop, HMAC + timestamp, state), exchanges the code for the
 *   offline token, creates or reactivates the store, registers the webhooks, and shows the result
 *   (with the store's first admin API key, once, for a brand-new store).
 * Both answer 404 with a clear message while SHOPIFY_API_KEY/SECRET are unset.
 */
import { Router, type Request } from 'express';
import type { AppContext } from '../app/context.js';
import { createShopifyClient } from '../../connectors/shopify/shopify.client.js';
import {
  STATE_COOKIE,
  beginInstall,
  clearStateCookie,
  exchangeCodeForToken,
  sanitizeShop,
  shopifyLibrary,
  verifyCallback,
  type ShopifyAppConfig,
} from '../../connectors/shopify/shopify.oauth.js';
import { registerWebhooks } from '../../connectors/shopify/shopify.subscriptions.js';
import { completeShopifyInstall } from '../commerce/shopify-install.js';
import { HttpError } from '../errors.js';

export type ShopifyAuthOptions = { fetch?: typeof fetch; now?: () => number };

export function shopifyAuthRouter(ctx: AppContext, opts: ShopifyAuthOptions = {}): Router {
  const router = Router();
  const log = ctx.logger.child({ component: 'shopify-auth' });
  const now = opts.now ?? Date.now;

  const appConfig = (): ShopifyAppConfig => {
    const c = ctx.config;
    if (!c.SHOPIFY_API_KEY || !c.SHOPIFY_API_SECRET) {
      throw new HttpError(404, 'the Shopify app is not configured on this server: set SHOPIFY_API_KEY and SHOPIFY_API_SECRET');
    }
    if (!c.PUBLIC_URL) throw new HttpError(503, 'PUBLIC_URL must be set for the Shopify app (OAuth redirect and webhook URLs)');
    return {
      apiKey: c.SHOPIFY_API_KEY,
      apiSecret: c.SHOPIFY_API_SECRET,
      scopes: c.SHOPIFY_SCOPES,
      publicUrl: c.PUBLIC_URL.replace(/\/+$/, ''),
      apiVersion: c.SHOPIFY_API_VERSION,
      adminBaseUrl: c.SHOPIFY_ADMIN_BASE_URL,
      fetch: opts.fetch,
    };
  };

  router.get('/auth', async (req, res) => {
    const cfg = appConfig();
    const query = rawQuery(req);
    const shop = sanitizeShop(cfg, query.shop);
    if (!shop) throw new HttpError(400, 'missing or invalid "shop" (expected your-store.myshopify.com)');
    // Opened from the Shopify admin, the app URL is signed: a forged one is refused.
    if (query.hmac) {
      const valid = await shopifyLibrary(cfg).utils.validateHmac(query).catch(() => false);
      if (!valid) throw new HttpError(401, 'invalid HMAC or stale timestamp');
    }
    const { redirectUrl, setCookie } = beginInstall(cfg, shop, now());
    res.setHeader('Set-Cookie', setCookie);
    res.redirect(302, redirectUrl);
  });

  router.get('/auth/callback', async (req, res) => {
    const cfg = appConfig();
    const check = await verifyCallback(cfg, rawQuery(req), readCookie(req, STATE_COOKIE), now());
    res.setHeader('Set-Cookie', clearStateCookie());
    if (!check.ok) {
      log.warn({ status: check.status, reason: check.reason }, 'shopify install refused');
      throw new HttpError(check.status, check.reason);
    }
    let token: { accessToken: string; scope: string };
    try {
      token = await exchangeCodeForToken(cfg, check.shop, check.code);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'shopify token exchange failed');
      throw new HttpError(502, 'Shopify did not issue an access token; please retry the install');
    }
    const install = await completeShopifyInstall(ctx.db, ctx.encryptionKey, { shop: check.shop, ...token, apiVersion: cfg.apiVersion });
    const client = createShopifyClient({ shop: check.shop, accessToken: token.accessToken, apiVersion: cfg.apiVersion, baseUrl: cfg.adminBaseUrl, fetch: opts.fetch });
    let webhooks;
    try {
      webhooks = await registerWebhooks(client, { callbackUrl: `${cfg.publicUrl}/webhooks/shopify`, apiVersion: cfg.apiVersion });
    } catch (err) {
      log.warn({ storeId: install.store.id, err: (err as Error).message }, 'webhook registration failed');
      throw new HttpError(502, 'the app was authorised but its webhooks could not be registered; please retry the install');
    }
    const failed = webhooks.filter((w) => w.status === 'failed');
    log.info({ storeId: install.store.id, created: install.created, reactivated: install.reactivated, webhooksFailed: failed.length }, 'shopify app installed');
    if (failed.length) {
      throw new HttpError(502, `webhook registration failed for ${failed.map((w) => w.topic).join(', ')}; please retry the install`);
    }
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).type('html').send(installedPage(install.store.slug, check.shop, install.apiKey));
  });

  return router;
}

/** The query exactly as sent (Express may parse `a[]=` into arrays; the HMAC is over strings). */
function rawQuery(req: Request): Record<string, string> {
  const url = new URL(req.originalUrl, 'http://localhost');
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) out[k] = k in out ? `${out[k]},${v}` : v;
  return out;
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (k === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function installedPage(slug: string, shop: string, apiKey?: string): string {
  const key = apiKey
    ? `<p>Your admin API key (shown once, keep it safe): <code>${escapeHtml(apiKey)}</code></p>`
    : '<p>Your existing API keys remain valid.</p>';
  return `<!doctype html><html><head><meta charset="utf-8"><title>Support bot installed</title></head><body>
<h1>Support bot installed</h1><p>Shop <strong>${escapeHtml(shop)}</strong> is connected as store <code>${escapeHtml(slug)}</code>.</p>
${key}<p>Order webhooks are registered; the bot drafts replies until you switch intents to automatic.</p></body></html>`;
}
