import type { Knex } from 'knex';

/**
 * A per-store counter bumped in the same transaction as every change to the store's knowledge
 * (import, delete, approval, new embeddings). Retrieval cache keys include it, so a cached
 * answer never outlives the passages it was built from, whichever process made the change.
 */
export async function bumpKnowledgeVersion(db: Knex, storeId: string): Promise<void> {
  await db.raw(
    `insert into knowledge_versions (store_id, version, updated_at) values (?, 1, now())
     on conflict (store_id) do update set version = knowledge_versions.version + 1, updated_at = now()`,
    [storeId],
  );
}

export async function getKnowledgeVersion(db: Knex, storeId: string): Promise<number> {
  const row = await db('knowledge_versions').where({ store_id: storeId }).first('version');
  return row ? Number(row.version) : 0;
}
