import type { Knex } from 'knex';
import { parseSettings, type StoreSettings } from '../domain/settings.js';

export type Store = {
  id: string;
  slug: string;
  name: string;
  platform: string;
  domain: string | null;
  status: 'active' | 'uninstalled';
  settings: StoreSettings;
};

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLUG_RE = /^[a-z0-9][a-z0-9._-]{0,99}$/i;

export function toStore(row: Record<string, unknown>): Store {
  return {
    id: String(row.id),
    slug: String(row.slug),
    name: String(row.name),
    platform: String(row.platform),
    domain: (row.domain as string | null) ?? null,
    status: row.status === 'uninstalled' ? 'uninstalled' : 'active',
    settings: parseSettings(row.settings),
  };
}

/** By uuid or slug ("demo"), so URLs and CLIs can use either. */
export async function findStore(db: Knex, idOrSlug: string): Promise<Store | null> {
  // Anything else (empty, NUL bytes, 10 kB of junk from a query string) names no store.
  if (!UUID_RE.test(idOrSlug) && !SLUG_RE.test(idOrSlug)) return null;
  const q = db('stores');
  const row = UUID_RE.test(idOrSlug) ? await q.where({ id: idOrSlug }).first() : await q.where({ slug: idOrSlug }).first();
  return row ? toStore(row) : null;
}

export async function createStore(
  db: Knex,
  input: { slug: string; name: string; platform?: string; domain?: string | null; settings?: Partial<StoreSettings> },
): Promise<Store> {
  const [row] = await db('stores')
    .insert({
      slug: input.slug,
      name: input.name,
      platform: input.platform ?? 'custom',
      domain: input.domain ?? null,
      settings: JSON.stringify(parseSettings(input.settings ?? {})),
    })
    .returning('*');
  return toStore(row);
}

export async function updateStoreSettings(db: Knex, storeId: string, settings: StoreSettings): Promise<Store> {
  const [row] = await db('stores')
    .where({ id: storeId })
    .update({ settings: JSON.stringify(settings), updated_at: db.fn.now() })
    .returning('*');
  return toStore(row);
}
