import { createHmac } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { constantTimeEqual } from '../../security/crypto.js';

export type ShopifySessionConfig = { apiKey?: string; apiSecret?: string; now?: () => number };

type Claims = { iss?: string; dest?: string; aud?: string; exp?: number; nbf?: number; sub?: string };

const b64url = (s: string) => Buffer.from(s, 'base64url').toString('utf8');

/**
 * Verifies a Shopify App Bridge session token (a JWT, HS256, signed with the app's secret; `aud` is
 * the app's API key, `dest` the shop). Returns the shop's domain, or null for anything else.
 * Shopify allows a few seconds of clock skew on `nbf`/`exp`.
 */
export function verifySessionToken(token: string, cfg: ShopifySessionConfig): string | null {
  if (!cfg.apiKey || !cfg.apiSecret) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [header, payload, signature] = parts as [string, string, string];
  try {
    if ((JSON.parse(b64url(header)) as { alg?: string }).alg !== 'HS256') return null;
    const expected = createHmac('sha256', cfg.apiSecret).update(`${header}.${payload}`).digest('base64url');
    if (!constantTimeEqual(expected, signature)) return null;
    const claims = JSON.parse(b64url(payload)) as Claims;
    const now = Math.floor((cfg.now?.() ?? Date.now()) / 1000);
    if (claims.aud !== cfg.apiKey || !claims.exp || now > claims.exp + 5 || (claims.nbf && now < claims.nbf - 5)) return null;
    const shop = claims.dest ? new URL(claims.dest).hostname : null;
    return shop && /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop) ? shop : null;
  } catch {
    return null;
  }
}

/**
 * Inside Shopify admin the dashboard has no API key: it sends App Bridge's session token instead.
 * A valid token for an installed shop acts as that store's admin key for this request.
 */
export function shopifySessionAuth(db: Knex, cfg: ShopifySessionConfig): RequestHandler {
  return async (req, _res, next) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
    if (!m || !cfg.apiSecret || m[1]!.split('.').length !== 3) return next();
    const shop = verifySessionToken(m[1]!, cfg);
    if (!shop) return next();
    const store = await db('stores').where({ domain: shop, status: 'active' }).first('id');
    if (store) req.apiKey = { id: `shopify-session:${shop}`, storeId: store.id, name: 'Shopify admin session', prefix: 'shopify', permissions: ['admin'] };
    next();
  };
}
