import type { Knex } from 'knex';
import type { RequestHandler } from 'express';
import { forbidden, unauthorized } from '../../errors.js';
import { findApiKey, hasPermission, type Permission } from '../../security/api-keys.js';
import { findStore } from '../../store/stores.js';

/**
 * `Authorization: Bearer <key>`: 401 when missing, unknown or revoked; 403 when the key lacks
 * the permission. Sets req.apiKey (its store is the only store it may touch).
 */
export function requireApiKey(db: Knex, permission: Permission = 'read'): RequestHandler {
  return async (req, _res, next) => {
    // Already authenticated for this request by an earlier step (a verified Shopify admin session
    // token, see shopify-session.ts): only the permission is left to check.
    if (req.apiKey) {
      if (!hasPermission(req.apiKey, permission)) return next(forbidden(`this session lacks the "${permission}" permission`));
      return next();
    }
    const header = req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return next(unauthorized('missing "Authorization: Bearer <api key>" header'));
    const key = await findApiKey(db, match[1]!);
    if (!key) return next(unauthorized('invalid or revoked API key'));
    if (!hasPermission(key, permission)) return next(forbidden(`this API key lacks the "${permission}" permission`));
    req.apiKey = key;
    next();
  };
}

/**
 * For routes with a `:storeId` param (uuid or slug): 403 unless it is the key's own store.
 * Normalises the param to the store's uuid for the handlers.
 */
export function requireOwnStore(db: Knex): RequestHandler {
  return async (req, _res, next) => {
    const param = String(req.params.storeId ?? '');
    const key = req.apiKey;
    if (!key) return next(unauthorized());
    if (param === key.storeId) return next();
    const store = await findStore(db, param);
    if (!store || store.id !== key.storeId) return next(forbidden('this API key belongs to another store'));
    req.params.storeId = store.id;
    next();
  };
}
