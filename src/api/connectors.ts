/**
 * Helpdesk credentials per store. Secrets go in encrypted (connector_credentials) and never come
 * back out: every answer carries only the non-secret meta (subdomain/account, auth type, bot
 * user, base URL) and the webhook URL to configure in the helpdesk.
 *
 *   PUT    /api/v1/stores/:storeId/connectors/:kind       (admin) body = the vendor's credentials
 *   GET    /api/v1/stores/:storeId/connectors             (read)
 *   DELETE /api/v1/stores/:storeId/connectors/:kind       (admin)
 *   POST   /api/v1/stores/:storeId/connectors/:kind/test  (admin) checkCredentials with the vendor
 */
import { Router, type Request } from 'express';
import type { AppContext } from '../app/context.js';
import { notFound } from '../errors.js';
import { requireApiKey, requireOwnStore } from '../http/middleware/auth.js';
import {
  deleteCredentials,
  listCredentialMeta,
  saveCredentials,
  type CredentialKind,
} from '../store/credentials.js';
import { findStore, type Store } from '../store/stores.js';
import {
  getHelpdeskConnector,
  getHelpdeskProvider,
  helpdeskKinds,
  loadHelpdeskConnection,
  type HelpdeskProvider,
} from '../../connectors/registry.js';

type ConnectionView = {
  kind: string;
  source: 'database' | 'environment';
  meta: Record<string, unknown>;
  updatedAt: string | null;
};

/** `changed`: told after a store's connection is saved or deleted (the webhook routes forget it). */
export function connectorsRouter(ctx: AppContext, hooks: { changed?: (storeId: string) => void } = {}): Router {
  const router = Router();
  const changed = hooks.changed ?? (() => {});
  const base = '/stores/:storeId/connectors';
  const read = [requireApiKey(ctx.db, 'read'), requireOwnStore(ctx.db)];
  const admin = [requireApiKey(ctx.db, 'admin'), requireOwnStore(ctx.db)];

  const storeOf = async (req: Request): Promise<Store> => {
    const store = await findStore(ctx.db, String(req.params.storeId));
    if (!store) throw notFound('store not found');
    return store;
  };
  const providerOf = (req: Request): HelpdeskProvider => {
    const kind = String(req.params.kind);
    const provider = getHelpdeskProvider(kind);
    const known = helpdeskKinds().join(', ');
    if (!provider) throw notFound(`unknown helpdesk connector "${kind}" (known: ${known})`);
    return provider;
  };
  const webhookUrl = (store: Store, kind: string) => {
    const origin = (ctx.config.PUBLIC_URL ?? '').replace(/\/+$/, '');
    return `${origin}/webhooks/${kind}?store=${encodeURIComponent(store.slug)}`;
  };

  router.put(`${base}/:kind`, ...admin, async (req, res) => {
    const store = await storeOf(req);
    const provider = providerOf(req);
    // ZodError → 400 with the field paths (never the values).
    const { secrets, meta } = provider.parseConfig(req.body ?? {});
    const kind = provider.kind as CredentialKind;
    await saveCredentials(ctx.db, ctx.encryptionKey, { storeId: store.id, kind, secrets, meta });
    changed(store.id);
    ctx.logger.info({ storeId: store.id, kind }, 'helpdesk credentials saved');
    res.json({ kind, source: 'database', meta, webhookUrl: webhookUrl(store, kind) });
  });

  router.get(base, ...read, async (req, res) => {
    const store = await storeOf(req);
    const stored = await listCredentialMeta(ctx.db, store.id);
    const connections: ConnectionView[] = stored.map((c) => ({
      kind: c.kind,
      source: 'database',
      meta: c.meta,
      updatedAt: c.updatedAt,
    }));
    // The demo store may be connected through env variables: show that too (meta only).
    for (const kind of helpdeskKinds()) {
      if (stored.some((c) => c.kind === kind)) continue;
      const found = await loadHelpdeskConnection(ctx, store, kind);
      if (!found) continue;
      const { source, connection } = found;
      connections.push({ kind, source, meta: connection.meta, updatedAt: null });
    }
    res.json({
      connectors: connections.map((c) => ({ ...c, webhookUrl: webhookUrl(store, c.kind) })),
    });
  });

  router.delete(`${base}/:kind`, ...admin, async (req, res) => {
    const store = await storeOf(req);
    const provider = providerOf(req);
    const existing = await listCredentialMeta(ctx.db, store.id);
    if (!existing.some((c) => c.kind === provider.kind)) {
      throw notFound(`no stored ${provider.kind} credentials for this store`);
    }
    await deleteCredentials(ctx.db, store.id, provider.kind as CredentialKind);
    changed(store.id);
    ctx.logger.info({ storeId: store.id, kind: provider.kind }, 'helpdesk credentials deleted');
    res.status(204).end();
  });

  router.post(`${base}/:kind/test`, ...admin, async (req, res) => {
    const store = await storeOf(req);
    const provider = providerOf(req);
    const connector = await getHelpdeskConnector(ctx, store, provider.kind);
    if (!connector) {
      throw notFound(`${provider.kind} is not connected for this store (or incompletely)`);
    }
    const result = await connector.checkCredentials();
    res.json({ kind: provider.kind, ok: result.ok, message: result.message });
  });

  return router;
}
