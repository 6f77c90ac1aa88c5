import type { Knex } from 'knex';
import { bumpKnowledgeVersion } from './version.js';

export type DocumentStatus = 'active' | 'candidate' | 'rejected';

export type DocumentSummary = {
  id: string;
  title: string;
  source: string;
  sourceRef: string;
  format: string;
  category: string | null;
  language: string;
  status: DocumentStatus;
  contentHash: string;
  chunks: number;
  embeddedChunks: number;
  metadata: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
};

export type ChunkView = { id: string; ordinal: number; heading: string | null; headingPath: string; content: string; embedded: boolean };

const summaryColumns = (db: Knex) => [
  'd.id',
  'd.title',
  'd.source',
  'd.source_ref',
  'd.format',
  'd.category',
  'd.language',
  'd.status',
  'd.content_hash',
  'd.metadata',
  'd.created_at',
  'd.updated_at',
  db.raw('(select count(*) from policy_chunks c where c.document_id = d.id) as chunks'),
  db.raw('(select count(*) from policy_chunks c where c.document_id = d.id and c.embedding_model is not null) as embedded_chunks'),
];

/** A store's documents, newest first; every query is scoped by store. */
export async function listDocuments(
  db: Knex,
  storeId: string,
  opts: { status?: DocumentStatus; source?: string; limit?: number; offset?: number } = {},
): Promise<DocumentSummary[]> {
  const q = db('policy_documents as d').where('d.store_id', storeId).select(summaryColumns(db));
  if (opts.status) q.andWhere('d.status', opts.status);
  if (opts.source) q.andWhere('d.source', opts.source);
  const rows = await q.orderBy('d.updated_at', 'desc').orderBy('d.id').limit(opts.limit ?? 100).offset(opts.offset ?? 0);
  return rows.map(toSummary);
}

export async function getDocument(
  db: Knex,
  storeId: string,
  documentId: string,
): Promise<(DocumentSummary & { content: string; chunkList: ChunkView[] }) | null> {
  const row = await db('policy_documents as d')
    .where({ 'd.store_id': storeId, 'd.id': documentId })
    .first([...summaryColumns(db), 'd.content']);
  if (!row) return null;
  const chunks = await db('policy_chunks')
    .where({ document_id: documentId, store_id: storeId })
    .orderBy('ordinal')
    .select('id', 'ordinal', 'heading', 'heading_path', 'content', 'embedding_model');
  return {
    ...toSummary(row),
    content: String(row.content),
    chunkList: chunks.map((c) => ({
      id: String(c.id),
      ordinal: Number(c.ordinal),
      heading: c.heading ?? null,
      headingPath: String(c.heading_path ?? ''),
      content: String(c.content),
      embedded: c.embedding_model != null,
    })),
  };
}

/** Deletes a document and its chunks (cascade). False when the store has no such document. */
export async function deleteDocument(db: Knex, storeId: string, documentId: string): Promise<boolean> {
  return db.transaction(async (trx) => {
    // returning(): the affected-row count is not reported the same way by every driver (PGlite).
    const deleted = await trx('policy_documents').where({ store_id: storeId, id: documentId }).delete().returning('id');
    if (deleted.length > 0) await bumpKnowledgeVersion(trx, storeId);
    return deleted.length > 0;
  });
}

/** Approve (→ active, used by retrieval) or reject a candidate. Only candidates change. */
export async function decideCandidate(
  db: Knex,
  storeId: string,
  documentId: string,
  status: 'active' | 'rejected',
): Promise<'not_found' | 'not_candidate' | 'ok'> {
  return db.transaction(async (trx) => {
    const doc = await trx('policy_documents').where({ store_id: storeId, id: documentId }).forUpdate().first('status');
    if (!doc) return 'not_found';
    if (doc.status !== 'candidate') return 'not_candidate';
    await trx('policy_documents').where({ id: documentId }).update({ status, updated_at: trx.fn.now() });
    await bumpKnowledgeVersion(trx, storeId);
    return 'ok';
  });
}

function toSummary(r: Record<string, unknown>): DocumentSummary {
  return {
    id: String(r.id),
    title: String(r.title),
    source: String(r.source),
    sourceRef: String(r.source_ref),
    format: String(r.format),
    category: (r.category as string | null) ?? null,
    language: String(r.language),
    status: r.status as DocumentStatus,
    contentHash: String(r.content_hash),
    chunks: Number(r.chunks ?? 0),
    embeddedChunks: Number(r.embedded_chunks ?? 0),
    metadata: (typeof r.metadata === 'string' ? JSON.parse(r.metadata) : r.metadata ?? {}) as Record<string, unknown>,
    createdAt: new Date(r.created_at as string).toISOString(),
    updatedAt: new Date(r.updated_at as string).toISOString(),
  };
}
