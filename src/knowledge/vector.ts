import type { Knex } from 'knex';
import { toCandidate, type Candidate } from './fts.js';

/** pgvector's text input: `[0.1,0.2,…]`. */
export const toVectorLiteral = (v: number[]): string => `[${v.map((x) => (Number.isFinite(x) ? x : 0)).join(',')}]`;

/** True when some active chunk of the store has an embedding from this model. */
export async function hasEmbeddedChunks(db: Knex, storeId: string, model: string): Promise<boolean> {
  const r = await db.raw(
    `select 1 from policy_chunks c join policy_documents d on d.id = c.document_id
      where c.store_id = ? and c.embedding_model = ? and c.embedding is not null and d.status = 'active' limit 1`,
    [storeId, model],
  );
  return r.rows.length > 0;
}

/**
 * Nearest chunks by cosine distance, among chunks embedded with the same model (vectors of
 * different models are not comparable, and may not even have the same size).
 */
export async function vectorSearch(
  db: Knex,
  opts: { storeId: string; model: string; embedding: number[]; limit: number },
): Promise<(Candidate & { similarity: number })[]> {
  const v = toVectorLiteral(opts.embedding);
  const r = await db.raw(
    `select c.id, c.document_id, c.heading, c.heading_path, c.content, c.content_hash, d.title, d.category,
            1 - (c.embedding <=> ?::vector) as similarity
       from policy_chunks c join policy_documents d on d.id = c.document_id
      where c.store_id = ? and c.embedding_model = ? and c.embedding is not null and d.status = 'active'
      order by c.embedding <=> ?::vector, c.ordinal
      limit ?`,
    [v, opts.storeId, opts.model, v, opts.limit],
  );
  return (r.rows as Record<string, unknown>[]).map((row) => ({ ...toCandidate(row), similarity: Number(row.similarity) }));
}
