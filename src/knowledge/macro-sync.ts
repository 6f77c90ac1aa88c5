import type { AppContext } from '../app/context.js';
import { DEMO_SLUG } from '../bootstrap/demo-store.js';
import { loadCredentials } from '../store/credentials.js';
import { findStore } from '../store/stores.js';
import { deleteDocument } from './documents.js';
import { fetchMacros, helpdeskAuth, type HelpdeskAuth, type MacroSource } from './macros.js';
import { importKnowledge, type KnowledgeDeps } from './service.js';

export type MacroSyncResult = { source: MacroSource; imported: number; unchanged: number; removed: number };

/**
 * Mirrors a helpdesk's macros into the store's knowledge: one document per macro
 * (`source: macro`, key `zendesk/<id>`), re-imported when changed, removed when the macro is
 * gone or has no reply text any more.
 */
export async function syncMacros(
  deps: KnowledgeDeps,
  input: { storeId: string; source: MacroSource; auth: HelpdeskAuth; fetch?: typeof fetch; language?: string },
): Promise<MacroSyncResult> {
  const macros = await fetchMacros(input.source, input.auth, input.fetch);
  let imported = 0;
  let unchanged = 0;
  const refs = new Set<string>();
  for (const m of macros) {
    const sourceRef = `${input.source}/${m.id}`;
    refs.add(sourceRef);
    const r = await importKnowledge(deps, {
      storeId: input.storeId,
      title: m.title,
      sourceRef,
      content: `## ${m.title.replace(/\s+/g, ' ').trim()}\n\n${m.text}`,
      source: 'macro',
      format: 'markdown',
      category: 'macro',
      language: input.language,
    });
    if (r.unchanged) unchanged++;
    else imported++;
  }
  const existing = (await deps.db('policy_documents')
    .where({ store_id: input.storeId, source: 'macro' })
    .andWhere('source_ref', 'like', `${input.source}/%`)
    .select('id', 'source_ref')) as { id: string; source_ref: string }[];
  let removed = 0;
  for (const d of existing) {
    if (!refs.has(d.source_ref) && (await deleteDocument(deps.db, input.storeId, d.id))) removed++;
  }
  return { source: input.source, imported, unchanged, removed };
}

/**
 * The store's helpdesk credentials (encrypted connector_credentials), or, for the demo store of
 * a single-store install, the ZENDESK_* / GORGIAS_* environment variables. Null when the
 * connector is not configured.
 */
export async function resolveHelpdeskAuth(ctx: AppContext, storeId: string, source: MacroSource): Promise<HelpdeskAuth | null> {
  const saved = await loadCredentials(ctx.db, ctx.encryptionKey, storeId, source);
  if (saved) return helpdeskAuth(source, { ...saved.meta, ...saved.secrets });
  const store = await findStore(ctx.db, storeId);
  if (store?.slug !== DEMO_SLUG) return null;
  const c = ctx.config;
  return source === 'zendesk'
    ? helpdeskAuth('zendesk', {
        subdomain: c.ZENDESK_SUBDOMAIN,
        baseUrl: c.ZENDESK_BASE_URL,
        email: c.ZENDESK_EMAIL,
        apiToken: c.ZENDESK_API_TOKEN,
        oauthToken: c.ZENDESK_OAUTH_TOKEN,
      })
    : helpdeskAuth('gorgias', {
        account: c.GORGIAS_ACCOUNT,
        baseUrl: c.GORGIAS_BASE_URL,
        email: c.GORGIAS_EMAIL,
        apiKey: c.GORGIAS_API_KEY,
        oauthToken: c.GORGIAS_OAUTH_TOKEN,
      });
}
