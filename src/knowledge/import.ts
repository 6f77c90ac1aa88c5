import type { Knex } from 'knex';
import { AppError } from '../errors.js';
import { chunkMarkdown, contentHash, type Chunk } from './chunk.js';
import { htmlToMarkdown } from './html.js';
import { bumpKnowledgeVersion } from './version.js';

export const DOCUMENT_SOURCES = ['file', 'api', 'macro', 'faq', 'learned'] as const;
export const DOCUMENT_FORMATS = ['markdown', 'text', 'html'] as const;
export type DocumentSource = (typeof DOCUMENT_SOURCES)[number];
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

export type ImportInput = {
  storeId: string;
  title: string;
  /** The document's key within (store, source): re-importing the same key replaces it. */
  sourceRef: string;
  content: string;
  source?: DocumentSource;
  format?: DocumentFormat;
  category?: string | null;
  /** Postgres text-search configuration (english, french, simple…). @defaultValue 'english' */
  language?: string;
  status?: 'active' | 'candidate';
  metadata?: Record<string, unknown>;
};

export type ImportResult = { documentId: string; chunks: number; unchanged: boolean };

/** Input that can never be imported (unknown language, nothing to index): a 400 for the API. */
export class KnowledgeInputError extends AppError {}

/**
 * Creates or replaces a document and its chunks in one transaction: readers see the old
 * chunks or the new ones, never a mix. Re-importing identical content changes nothing (and
 * keeps existing embeddings); any change bumps the store's knowledge version.
 */
export async function importDocument(db: Knex, input: ImportInput): Promise<ImportResult> {
  const source = input.source ?? 'api';
  const format = input.format ?? 'markdown';
  const language = input.language ?? 'english';
  const title = input.title.trim();
  if (!title) throw new KnowledgeInputError('title must not be empty');
  await assertTextSearchConfig(db, language);
  const hash = contentHash(input.content);
  const chunks = chunkDocument(title, input.content, format);
  if (chunks.length === 0) throw new KnowledgeInputError('the document has no text to index');

  return db.transaction(async (trx) => {
    const existing = await trx('policy_documents')
      .where({ store_id: input.storeId, source, source_ref: input.sourceRef })
      .forUpdate()
      .first('id', 'content_hash', 'title', 'format', 'language', 'status', 'category');
    if (
      existing &&
      existing.content_hash === hash &&
      existing.title === title &&
      existing.format === format &&
      existing.language === language &&
      existing.status === (input.status ?? 'active') &&
      (existing.category ?? null) === (input.category ?? null)
    ) {
      const counted = await trx('policy_chunks').where({ document_id: existing.id }).count({ count: '*' });
      return { documentId: String(existing.id), chunks: Number(counted[0]?.count ?? 0), unchanged: true };
    }
    const row = {
      store_id: input.storeId,
      title,
      source,
      source_ref: input.sourceRef,
      format,
      category: input.category ?? null,
      language,
      status: input.status ?? 'active',
      content: input.content,
      content_hash: hash,
      metadata: JSON.stringify(input.metadata ?? {}),
      updated_at: trx.fn.now(),
    };
    const [doc] = await trx('policy_documents')
      .insert(row)
      .onConflict(['store_id', 'source', 'source_ref'])
      .merge()
      .returning('id');
    const documentId = String(doc.id);
    await trx('policy_chunks').where({ document_id: documentId }).delete();
    const rows = chunks.map((c) => chunkRow(trx, { storeId: input.storeId, documentId, title, language }, c));
    for (let i = 0; i < rows.length; i += 200) await trx('policy_chunks').insert(rows.slice(i, i + 200));
    await bumpKnowledgeVersion(trx, input.storeId);
    return { documentId, chunks: chunks.length, unchanged: false };
  });
}

/** Markdown and HTML keep their headings; plain text is split by paragraphs only. */
export function chunkDocument(title: string, content: string, format: DocumentFormat): Chunk[] {
  if (format === 'html') return chunkMarkdown(title, htmlToMarkdown(content));
  return chunkMarkdown(title, content, { headings: format === 'markdown' });
}

/**
 * The weighted tsvector: nearest heading (A), parent headings (B), document title (C), text
 * (D). The same expression re-indexes older rows in migration 20261122090001.
 */
function chunkRow(
  trx: Knex,
  doc: { storeId: string; documentId: string; title: string; language: string },
  c: Chunk,
) {
  return {
    store_id: doc.storeId,
    document_id: doc.documentId,
    ordinal: c.ordinal,
    heading: c.heading,
    heading_path: c.headingPath,
    content: c.content,
    content_hash: c.contentHash,
    tsv: trx.raw(
      `setweight(to_tsvector(?::regconfig, ?), 'A') || setweight(to_tsvector(?::regconfig, ?), 'B')
       || setweight(to_tsvector(?::regconfig, ?), 'C') || to_tsvector(?::regconfig, ?)`,
      [
        doc.language,
        c.heading ?? '',
        doc.language,
        c.parents.join(' '),
        doc.language,
        doc.title,
        doc.language,
        c.content,
      ],
    ),
  };
}

const knownConfigs = new WeakMap<Knex, Set<string>>();

/** The language must name a Postgres text-search configuration (`select cfgname from pg_ts_config`). */
export async function assertTextSearchConfig(db: Knex, language: string): Promise<void> {
  const cached = knownConfigs.get(db);
  if (cached?.has(language)) return;
  const r = await db.raw('select 1 from pg_ts_config where cfgname = ?', [language]);
  if (r.rows.length === 0) {
    throw new KnowledgeInputError(`unknown text-search language "${language}" (e.g. english, french, simple)`);
  }
  knownConfigs.set(db, new Set([...(cached ?? []), language]));
}
