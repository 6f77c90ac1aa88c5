/**
 * Shopify app install (authorization code grant, offline token).
 *
 * What checks what:
 * - @shopify/shopify-api v15 (`shopifyApi`, node adapter) checks the shop domain (`sanitizeShop`)
 *   and the callback query HMAC: hex HMAC-SHA256 over the sorted query without `hmac`/`signature`,
 *   with `timestamp` within ±90 s (`utils.validateHmac`).
 * - The state nonce and its signed cookie are ours (node:crypto): the library's `auth.begin/callback`
 *   keep the 60 s expiry only in the browser's cookie attribute, so a replayed cookie is accepted
 *   and the flow cannot be tested on a fixed clock. Our cookie carries {nonce, shop, expiry}
 *   signed with the app secret; the server refuses it after 10 minutes, for another shop, or when
 *   the nonce differs from `state`.
 * - The token exchange is a plain `fetch` (injectable; honours SHOPIFY_ADMIN_BASE_URL).
 */
import '@shopify/shopify-api/adapters/node';
import { createHmac, randomBytes } from 'node:crypto';
import { LogSeverity, shopifyApi, type ApiVersion, type Shopify } from '@shopify/shopify-api';
import { constantTimeEqual } from '../../src/security/crypto.js';
import { adminOrigin } from './shopify.client.js';

export type ShopifyAppConfig = {
  apiKey: string;
  apiSecret: string;
  /** Comma-separated scopes. */
  scopes: string;
  /** Public base URL of this service (redirect_uri and webhook callback). */
  publicUrl: string;
  apiVersion: string;
  adminBaseUrl?: string;
  fetch?: typeof fetch;
};

export const AUTH_PATH = '/shopify/auth';
export const CALLBACK_PATH = '/shopify/auth/callback';
export const STATE_COOKIE = 'shopify_oauth_state';
export const STATE_TTL_MS = 10 * 60_000;

const libraries = new Map<string, Shopify>();

/** One library instance per app configuration (it validates and freezes its config). */
export function shopifyLibrary(cfg: ShopifyAppConfig): Shopify {
  const key = `${cfg.apiKey}|${cfg.apiSecret}|${cfg.publicUrl}|${cfg.apiVersion}`;
  let lib = libraries.get(key);
  if (!lib) {
    const url = new URL(cfg.publicUrl);
    lib = shopifyApi({
      apiKey: cfg.apiKey,
      apiSecretKey: cfg.apiSecret,
      scopes: cfg.scopes.split(',').map((s) => s.trim()).filter(Boolean),
      hostName: url.host,
      hostScheme: url.protocol === 'http:' ? 'http' : 'https',
      apiVersion: cfg.apiVersion as ApiVersion,
      isEmbeddedApp: false,
      // The library logs shop domains and states at info level; we log ids ourselves.
      logger: { level: LogSeverity.Error, log: async () => {} },
    });
    libraries.set(key, lib);
  }
  return lib;
}

/** "acme.myshopify.com" (lower-case) or null when it is not a Shopify shop domain. */
export function sanitizeShop(cfg: ShopifyAppConfig, shop: unknown): string | null {
  if (typeof shop !== 'string' || shop.length > 255) return null;
  return shopifyLibrary(cfg).utils.sanitizeShop(shop.trim().toLowerCase(), false) ?? null;
}

const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const signState = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(`shopify-oauth-state.${payload}`).digest('base64url');

/** The authorize redirect and the Set-Cookie value that binds the state to this browser. */
export function beginInstall(cfg: ShopifyAppConfig, shop: string, nowMs: number): { redirectUrl: string; setCookie: string } {
  const nonce = randomBytes(32).toString('hex');
  const payload = b64url(JSON.stringify({ n: nonce, s: shop, e: nowMs + STATE_TTL_MS }));
  const value = `${payload}.${signState(cfg.apiSecret, payload)}`;
  const secure = cfg.publicUrl.startsWith('https:') ? '; Secure' : '';
  const setCookie = `${STATE_COOKIE}=${value}; Path=${CALLBACK_PATH}; Max-Age=${STATE_TTL_MS / 1000}; HttpOnly; SameSite=Lax${secure}`;
  const params = new URLSearchParams({
    client_id: cfg.apiKey,
    scope: cfg.scopes,
    redirect_uri: `${cfg.publicUrl.replace(/\/+$/, '')}${CALLBACK_PATH}`,
    state: nonce,
  });
  return { redirectUrl: `https://${shop}/admin/oauth/authorize?${params.toString()}`, setCookie };
}

/** Clears the state cookie once used (success or not). */
export const clearStateCookie = () => `${STATE_COOKIE}=; Path=${CALLBACK_PATH}; Max-Age=0; HttpOnly; SameSite=Lax`;

export type CallbackCheck =
  | { ok: true; shop: string; code: string }
  | { ok: false; status: 400 | 401 | 403; reason: string };

/** Every check of the OAuth callback, in order: shop, query HMAC + timestamp, state, code. */
export async function verifyCallback(
  cfg: ShopifyAppConfig,
  query: Record<string, string>,
  stateCookie: string | undefined,
  nowMs: number,
): Promise<CallbackCheck> {
  const shop = sanitizeShop(cfg, query.shop);
  if (!shop) return { ok: false, status: 400, reason: 'invalid or missing shop domain' };
  if (!query.hmac) return { ok: false, status: 401, reason: 'missing HMAC' };
  try {
    if (!(await shopifyLibrary(cfg).utils.validateHmac(query))) return { ok: false, status: 401, reason: 'invalid HMAC' };
  } catch {
    // InvalidHmacError: timestamp missing or outside ±90 s.
    return { ok: false, status: 401, reason: 'request timestamp missing or outside the allowed window' };
  }
  const state = readState(cfg.apiSecret, stateCookie);
  if (!state) return { ok: false, status: 403, reason: 'OAuth state cookie missing or invalid: restart the install' };
  if (state.e < nowMs) return { ok: false, status: 403, reason: 'OAuth state expired: restart the install' };
  if (!query.state || !constantTimeEqual(state.n, query.state) || state.s !== shop) {
    return { ok: false, status: 403, reason: 'OAuth state does not match this request' };
  }
  if (!query.code) return { ok: false, status: 400, reason: 'missing authorization code' };
  return { ok: true, shop, code: query.code };
}

function readState(secret: string, cookie: string | undefined): { n: string; s: string; e: number } | null {
  if (!cookie) return null;
  const [payload, sig] = cookie.split('.');
  if (!payload || !sig || !constantTimeEqual(signState(secret, payload), sig)) return null;
  try {
    const v = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { n?: unknown; s?: unknown; e?: unknown };
    return typeof v.n === 'string' && typeof v.s === 'string' && typeof v.e === 'number' ? { n: v.n, s: v.s, e: v.e } : null;
  } catch {
    return null;
  }
}

/** Exchanges the authorization code for the shop's offline access token. */
export async function exchangeCodeForToken(cfg: ShopifyAppConfig, shop: string, code: string): Promise<{ accessToken: string; scope: string }> {
  const doFetch = cfg.fetch ?? ((i: string | URL | Request, init?: RequestInit) => globalThis.fetch(i, init));
  const res = await doFetch(`${adminOrigin(shop, cfg.adminBaseUrl)}/admin/oauth/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    // expiring "0": a non-expiring offline token, as the library requests by default.
    body: JSON.stringify({ client_id: cfg.apiKey, client_secret: cfg.apiSecret, code, expiring: '0' }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; scope?: string; error_description?: string };
  if (!res.ok || !body.access_token) {
    throw new Error(`Shopify token exchange failed (${res.status}${body.error_description ? `: ${body.error_description}` : ''})`);
  }
  return { accessToken: body.access_token, scope: body.scope ?? '' };
}
