import type { Knex } from 'knex';
import { expansionsFor } from './synonyms.js';
import { parseTsvector, quoteLexeme } from './tsvector.js';

/** A chunk row (joined with its document) as both rankers return it. */
export function toCandidate(r: Record<string, unknown>): Candidate {
  return {
    chunkId: String(r.id),
    documentId: String(r.document_id),
    documentTitle: String(r.title),
    heading: (r.heading as string | null) ?? null,
    headingPath: String(r.heading_path ?? r.title),
    content: String(r.content),
    contentHash: String(r.content_hash),
    category: (r.category as string | null) ?? null,
  };
}

/** A chunk as both rankers return it. */
export type Candidate = {
  chunkId: string;
  documentId: string;
  documentTitle: string;
  heading: string | null;
  headingPath: string;
  content: string;
  contentHash: string;
  category: string | null;
};

export type FtsOptions = {
  storeId: string;
  question: string;
  limit: number;
  /** Multiplier per candidate (intent topics); 1 = neutral. */
  boost?: (c: Candidate) => number;
};

/** Fields of the weighted tsvector: nearest heading, parent headings, title, text. */
const FIELDS = ['A', 'B', 'C', 'D'] as const;
const FIELD_WEIGHT = { A: 1.5, B: 0.75, C: 0.5, D: 1 } as const;
const K1 = 1.2;
const B = 0.75;
/** Words added by synonym rules count for less than the customer's own words. */
const EXPANSION_WEIGHT = 0.5;
/** Candidates pre-selected by Postgres (ts_rank_cd) before the BM25 re-rank. */
const PRESELECT = 300;

/**
 * Full-text retrieval with OR semantics: every stemmed word of the question (plus synonym
 * expansions) may match, and ranking decides. Postgres selects the candidates through the GIN
 * index (`tsv @@ a | b | c`) and supplies document frequencies; the BM25 score is computed here
 * from each candidate's tsvector, because ts_rank has no inverse document frequency and would
 * let "order" weigh as much as "refund". Runs once per text-search language of the store.
 */
export async function ftsSearch(db: Knex, opts: FtsOptions): Promise<(Candidate & { score: number })[]> {
  const languages = await db('policy_documents')
    .where({ store_id: opts.storeId, status: 'active' })
    .distinct('language')
    .pluck('language');
  const scored: (Candidate & { score: number })[] = [];
  for (const language of languages as string[]) {
    scored.push(...(await searchLanguage(db, language, opts)));
  }
  return scored.sort((a, b) => b.score - a.score).slice(0, opts.limit);
}

async function searchLanguage(db: Knex, language: string, opts: FtsOptions) {
  const terms = await queryTerms(db, language, opts.question);
  if (terms.size === 0) return [];
  const lexemes = [...terms.keys()];
  const tsquery = lexemes.map(quoteLexeme).join(' | ');

  const idf = await fieldIdf(db, opts.storeId, lexemes);
  const rows = await db.raw(
    `select c.id, c.document_id, c.heading, c.heading_path, c.content, c.content_hash, c.tsv::text as tsv,
            d.title, d.category
       from policy_chunks c join policy_documents d on d.id = c.document_id
      where c.store_id = ? and d.status = 'active' and d.language = ? and c.tsv @@ ?::tsquery
      order by ts_rank_cd(c.tsv, ?::tsquery) desc, c.ordinal
      limit ${PRESELECT}`,
    [opts.storeId, language, tsquery, tsquery],
  );
  return (rows.rows as Record<string, unknown>[]).map((r) => {
    const candidate = toCandidate(r);
    const score = bm25(String(r.tsv), terms, idf) * (opts.boost?.(candidate) ?? 1);
    return { ...candidate, score };
  });
}

type Field = 'A' | 'B' | 'C' | 'D';
type FieldIdf = { n: number; avglen: number; idf: Map<string, Record<Field, number>> };

/**
 * Inverse document frequencies per field: "cancel" may be in half the paragraphs of a policy but
 * in one heading only, and a heading word is what tells sections apart. One pass over the
 * store's chunks, with weight-restricted tsqueries (`'cancel':A`).
 */
async function fieldIdf(db: Knex, storeId: string, lexemes: string[]): Promise<FieldIdf> {
  const cols: string[] = [];
  const bindings: string[] = [];
  lexemes.forEach((lex, i) => {
    for (const f of FIELDS) {
      cols.push(`count(*) filter (where tsv @@ ?::tsquery) as "${f}${i}"`);
      bindings.push(`${quoteLexeme(lex)}:${f}`);
    }
  });
  const r = await db.raw(
    `select count(*) as n, coalesce(avg(length(tsv)), 1) as avglen, ${cols.join(', ')}
       from policy_chunks where store_id = ?`,
    [...bindings, storeId],
  );
  const row = (r.rows[0] ?? {}) as Record<string, unknown>;
  const n = Number(row.n ?? 0);
  const idf = new Map<string, Record<Field, number>>();
  lexemes.forEach((lex, i) => {
    const per = {} as Record<Field, number>;
    for (const f of FIELDS) {
      const df = Number(row[`${f}${i}`] ?? 0);
      per[f] = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    }
    idf.set(lex, per);
  });
  return { n, avglen: Math.max(1, Number(row.avglen ?? 1)), idf };
}

/**
 * BM25 per field, summed with field weights: the body with length normalisation, headings and
 * title without (they are short). Each field saturates on its own, so a heading match is not
 * swallowed by the same word repeated in the text.
 */
function bm25(tsv: string, terms: Map<string, number>, stats: FieldIdf): number {
  const entries = parseTsvector(tsv);
  const norm = K1 * (1 - B + (B * entries.length) / stats.avglen);
  let score = 0;
  for (const e of entries) {
    const qw = terms.get(e.lexeme);
    const idf = stats.idf.get(e.lexeme);
    if (qw === undefined || !idf) continue;
    const tf: Record<Field, number> = { A: 0, B: 0, C: 0, D: 0 };
    for (const w of e.weights) tf[w] += 1;
    for (const f of FIELDS) {
      if (tf[f] === 0) continue;
      const sat = (tf[f] * (K1 + 1)) / (tf[f] + (f === 'D' ? norm : K1));
      score += qw * FIELD_WEIGHT[f] * idf[f] * sat;
    }
  }
  return score;
}

/**
 * Stemmed lexemes of the question (weight 1) and of its synonym expansions (weight ½), as the
 * store's text-search configuration produces them: same stemmer and stop words as the index.
 */
async function queryTerms(db: Knex, language: string, question: string): Promise<Map<string, number>> {
  const expansions = expansionsFor(question).join(' ');
  const r = await db.raw(`select to_tsvector(?::regconfig, ?)::text as q, to_tsvector(?::regconfig, ?)::text as x`, [
    language,
    question,
    language,
    expansions,
  ]);
  const terms = new Map<string, number>();
  for (const e of parseTsvector(String(r.rows[0]?.x ?? ''))) terms.set(e.lexeme, EXPANSION_WEIGHT);
  for (const e of parseTsvector(String(r.rows[0]?.q ?? ''))) terms.set(e.lexeme, 1);
  return terms;
}
