import type { Request, RequestHandler } from 'express';
import type { AppContext } from '../app/context.js';
import { notFound, unauthorized } from '../errors.js';
import { rateLimitPerKey } from '../http/middleware/rate-limit.js';
import { requireApiKey, requireOwnStore } from '../http/middleware/auth.js';
import type { ApiKeyRecord, Permission } from '../security/api-keys.js';
import { findStore, type Store } from '../store/stores.js';
import { uuid } from './schemas/common.js';

const limiters = new WeakMap<AppContext, RequestHandler>();

/** One limiter per context (its Redis, its limit). */
function limiterFor(ctx: AppContext): RequestHandler {
  let l = limiters.get(ctx);
  if (!l) {
    l = rateLimitPerKey({ redis: ctx.redis, prefix: ctx.config.QUEUE_PREFIX, limitPerMinute: ctx.config.API_RATE_LIMIT_PER_MIN, logger: ctx.logger });
    limiters.set(ctx, l);
  }
  return l;
}

/** Key with `permission` (401/403), then the per-key rate limit (429). Resources are the key's store's. */
export function access(ctx: AppContext, permission: Permission): RequestHandler[] {
  return [requireApiKey(ctx.db, permission), limiterFor(ctx)];
}

/** Same, for `/stores/:storeId/...` routes: another store's id or slug answers 403. */
export function storeAccess(ctx: AppContext, permission: Permission): RequestHandler[] {
  return [...access(ctx, permission), requireOwnStore(ctx.db)];
}

export function apiKeyOf(req: Request): ApiKeyRecord {
  if (!req.apiKey) throw unauthorized();
  return req.apiKey;
}

/** The key's store (id-scoped queries use `key.storeId`; this loads settings and status). */
export async function storeOf(ctx: AppContext, req: Request): Promise<Store> {
  const store = await findStore(ctx.db, apiKeyOf(req).storeId);
  if (!store) throw notFound('store not found');
  return store;
}

/**
 * A path id. Anything that is not a uuid cannot name a row: 404 like an id of another store,
 * so an id's existence elsewhere is never revealed.
 */
export function idParam(req: Request, name = 'id', what = 'resource'): string {
  const value = String(req.params[name] ?? '');
  if (!uuid.safeParse(value).success) throw notFound(`${what} not found`);
  return value.toLowerCase();
}
