import type { Knex } from 'knex';
import type { jobCatalog } from '../../jobs/catalog.js';
import type { Queues } from '../../jobs/queues.js';
import { hasVectorColumn } from '../db/migrate.js';
import type { Embedder } from './embedder.js';
import { bumpKnowledgeVersion } from './version.js';
import { toVectorLiteral } from './vector.js';

export type EmbedResult = { embedded: number; skipped?: 'no_vector_column' | 'up_to_date' };

/**
 * Embeds the chunks of one document that have no vector from this model yet. A chunk replaced
 * by a re-import while the provider answered is left alone (the update matches on the chunk's
 * id and content hash), and its replacement gets its own job. Provider errors propagate
 * (RetryableError / PermanentError) so the job retries with backoff.
 */
export async function embedDocument(
  db: Knex,
  embedder: Embedder,
  ref: { storeId: string; documentId: string },
): Promise<EmbedResult> {
  if (!(await hasVectorColumn(db))) return { embedded: 0, skipped: 'no_vector_column' };
  const rows = (await db('policy_chunks')
    .where({ store_id: ref.storeId, document_id: ref.documentId })
    .andWhere((q) => q.whereNull('embedding').orWhereRaw('embedding_model is distinct from ?', [embedder.model]))
    .orderBy('ordinal')
    .select('id', 'heading_path', 'content', 'content_hash')) as {
    id: string;
    heading_path: string | null;
    content: string;
    content_hash: string;
  }[];
  if (rows.length === 0) return { embedded: 0, skipped: 'up_to_date' };
  // The heading path gives a short chunk ("Must be unused.") the context it is about.
  const vectors = await embedder.embed(rows.map((r) => `${r.heading_path ?? ''}\n\n${r.content}`.trim()));
  return db.transaction(async (trx) => {
    let embedded = 0;
    for (const [i, row] of rows.entries()) {
      const v = vectors[i];
      if (!v || v.length === 0) continue;
      embedded += await trx('policy_chunks')
        .where({ id: row.id, content_hash: row.content_hash })
        .update({ embedding: trx.raw('?::vector', [toVectorLiteral(v)]), embedding_model: embedder.model });
    }
    if (embedded > 0) await bumpKnowledgeVersion(trx, ref.storeId);
    return { embedded };
  });
}

/**
 * Enqueues `knowledge.embed` for every document (of one store, or all) that has chunks without
 * a vector from this model: after an import, at start-up, or after switching models. The job
 * id names the document, its content and the model, so repeated calls enqueue nothing new.
 */
export async function scheduleEmbeddings(
  db: Knex,
  queues: Pick<Queues<typeof jobCatalog>, 'enqueue'>,
  model: string,
  opts: { storeId?: string; documentId?: string } = {},
): Promise<number> {
  if (!(await hasVectorColumn(db))) return 0;
  const q = db('policy_chunks as c')
    .join('policy_documents as d', 'd.id', 'c.document_id')
    .where('d.status', 'active')
    .andWhere((w) => w.whereNull('c.embedding').orWhereRaw('c.embedding_model is distinct from ?', [model]))
    .distinct('c.document_id', 'c.store_id', 'd.content_hash');
  if (opts.storeId) q.andWhere('c.store_id', opts.storeId);
  if (opts.documentId) q.andWhere('c.document_id', opts.documentId);
  const docs = (await q) as { document_id: string; store_id: string; content_hash: string }[];
  const modelSlug = model.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60);
  for (const d of docs) {
    await queues.enqueue(
      'knowledge.embed',
      { storeId: d.store_id, documentId: d.document_id },
      { jobId: `kembed-${d.document_id}-${d.content_hash.slice(0, 12)}-${modelSlug}` },
    );
  }
  return docs.length;
}
