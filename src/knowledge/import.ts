import type { Knex } from 'knex';
import { chunkMarkdown, contentHash } from './chunk.js';

export type ImportInput = {
  storeId: string;
  title: string;
  sourceRef: string;
  content: string;
  source?: 'file' | 'api' | 'macro' | 'faq' | 'learned';
  format?: 'markdown' | 'text' | 'html';
  category?: string | null;
  language?: string;
  status?: 'active' | 'candidate';
};

export type ImportResult = { documentId: string; chunks: number; unchanged: boolean };

/**
 * Creates or replaces a document and its chunks in one transaction: readers see the old
 * chunks or the new ones, never a mix. Re-importing identical content changes nothing.
 */
export async function importDocument(db: Knex, input: ImportInput): Promise<ImportResult> {
  const source = input.source ?? 'api';
  const language = input.language ?? 'english';
  const hash = contentHash(input.content);
  return db.transaction(async (trx) => {
    const existing = await trx('policy_documents')
      .where({ store_id: input.storeId, source, source_ref: input.sourceRef })
      .first('id', 'content_hash');
    if (existing && existing.content_hash === hash) {
      const counted = await trx('policy_chunks').where({ document_id: existing.id }).count({ count: '*' });
      return { documentId: existing.id as string, chunks: Number(counted[0]?.count ?? 0), unchanged: true };
    }
    const row = {
      store_id: input.storeId,
      title: input.title,
      source,
      source_ref: input.sourceRef,
      format: input.format ?? 'markdown',
      category: input.category ?? null,
      language,
      status: input.status ?? 'active',
      content: input.content,
      content_hash: hash,
      updated_at: trx.fn.now(),
    };
    const [doc] = await trx('policy_documents')
      .insert(row)
      .onConflict(['store_id', 'source', 'source_ref'])
      .merge()
      .returning('id');
    const documentId = String(doc.id);
    await trx('policy_chunks').where({ document_id: documentId }).delete();
    const chunks = chunkMarkdown(input.title, input.content);
    for (const c of chunks) {
      await trx('policy_chunks').insert({
        store_id: input.storeId,
        document_id: documentId,
        ordinal: c.ordinal,
        heading: c.heading,
        heading_path: c.headingPath,
        content: c.content,
        content_hash: c.contentHash,
        tsv: trx.raw('to_tsvector(?::regconfig, ?)', [language, `${c.headingPath}\n${c.content}`]),
      });
    }
    return { documentId, chunks: chunks.length, unchanged: false };
  });
}
