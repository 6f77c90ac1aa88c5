/**
 * API keys of a store (admin keys only):
 *
 *   POST   /api/v1/stores/:storeId/api-keys          {name, permissions} → 201 with the key, shown once
 *   GET    /api/v1/stores/:storeId/api-keys          list (never the key or its hash)
 *   DELETE /api/v1/stores/:storeId/api-keys/:keyId   revoke → 204
 *
 * Only the sha256 of a key is stored. A key cannot revoke itself (409): since only admin keys
 * revoke, a store always keeps at least one admin key.
 */
import { Router } from 'express';
import type { AppContext } from '../app/context.js';
import { conflict, notFound } from '../errors.js';
import { generateApiKey, saveApiKey } from '../security/api-keys.js';
import { apiKeyOf, idParam, storeAccess } from './access.js';
import { createApiKeyBody } from './schemas/stores.js';
import { isoOrNull as iso } from './row-values.js';

const pgArray = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.replace(/^\{|\}$/g, '').split(',').filter(Boolean) : [];

export function apiKeysRouter(ctx: AppContext): Router {
  const router = Router();
  const base = '/stores/:storeId/api-keys';
  const admin = storeAccess(ctx, 'admin');

  router.post(base, ...admin, async (req, res) => {
    const body = createApiKeyBody.parse(req.body ?? {});
    const storeId = String(req.params.storeId);
    const key = generateApiKey();
    const saved = await saveApiKey(ctx.db, { storeId, key, name: body.name, permissions: body.permissions });
    const row = await ctx.db('api_keys').where({ id: saved.id }).first('created_at');
    ctx.logger.info({ storeId, apiKeyId: saved.id, permissions: saved.permissions, by: apiKeyOf(req).id }, 'api key created');
    res.status(201).json({ id: saved.id, name: saved.name, prefix: saved.prefix, permissions: saved.permissions, key, created_at: iso(row?.created_at) });
  });

  router.get(base, ...admin, async (req, res) => {
    const rows = await ctx.db('api_keys')
      .where({ store_id: String(req.params.storeId) })
      .orderBy([{ column: 'created_at' }, { column: 'id' }])
      .select('id', 'name', 'prefix', 'permissions', 'created_at', 'last_used_at', 'revoked_at');
    res.json({
      data: rows.map((r) => ({
        id: r.id,
        name: r.name,
        prefix: r.prefix,
        permissions: pgArray(r.permissions),
        created_at: iso(r.created_at),
        last_used_at: iso(r.last_used_at),
        revoked_at: iso(r.revoked_at),
      })),
    });
  });

  router.delete(`${base}/:keyId`, ...admin, async (req, res) => {
    const storeId = String(req.params.storeId);
    const keyId = idParam(req, 'keyId', 'API key');
    const row = await ctx.db('api_keys').where({ store_id: storeId, id: keyId }).first('id', 'revoked_at');
    if (!row) throw notFound('API key not found');
    if (keyId === apiKeyOf(req).id) throw conflict('a key cannot revoke itself: use another admin key');
    // Revoking a revoked key is a no-op (DELETE is idempotent).
    if (!row.revoked_at) await ctx.db('api_keys').where({ id: keyId }).update({ revoked_at: ctx.db.fn.now() });
    ctx.logger.info({ storeId, apiKeyId: keyId, by: apiKeyOf(req).id }, 'api key revoked');
    res.status(204).end();
  });

  return router;
}
