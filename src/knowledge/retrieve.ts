import type { Knex } from 'knex';
import { hasVectorColumn } from '../db/migrate.js';
import type { Logger } from '../logger.js';
import { RETRIEVAL_CACHE_TTL_S, retrievalCacheKey, type RetrievalCache } from './cache.js';
import type { Embedder } from './embedder.js';
import { ftsSearch, type Candidate } from './fts.js';
import { reciprocalRankFusion, type RankedList } from './fuse.js';
import { INTENT_FTS_BOOST, INTENT_VECTOR_BOOST, matchesIntent } from './intents.js';
import { getKnowledgeVersion } from './version.js';
import { hasEmbeddedChunks, vectorSearch } from './vector.js';

export type { Citation } from './citations.js';
export { toCitation, formatCitationLine } from './citations.js';

export type Passage = {
  chunkId: string;
  documentId: string;
  documentTitle: string;
  heading: string | null;
  headingPath: string;
  content: string;
  score: number;
  sources: ('fts' | 'vector')[];
};

export type RetrieveInput = {
  storeId: string;
  query: string;
  intent?: string;
  limit?: number;
  /** The store's knowledge version when the caller already read it (saves a query per call). */
  knowledgeVersion?: number;
};

export interface Retriever {
  retrieve(input: RetrieveInput): Promise<Passage[]>;
}

/** The retriever with the store's knowledge version, read once at the start of a job, filled in. */
export function atKnowledgeVersion(retriever: Retriever, knowledgeVersion: number | undefined): Retriever {
  if (knowledgeVersion === undefined) return retriever;
  return { retrieve: (input) => retriever.retrieve({ knowledgeVersion, ...input }) };
}

const DEFAULT_LIMIT = 5;
const MAX_LIMIT = 50;
/** Each ranker returns this many times the requested passages before fusion. */
const DEPTH = 4;

/**
 * Hybrid retrieval scoped to one store: full-text always; vectors too when an embedder is
 * given, the database has the `embedding` column and the store has chunks embedded with the
 * embedder's model. The two rankings are fused with reciprocal-rank fusion. Vector trouble
 * (no embeddings yet, provider down) only logs a warning: full-text results still come back.
 */
export function createRetriever(deps: {
  db: Knex;
  embedder?: Embedder | null;
  cache?: RetrievalCache | null;
  logger?: Logger;
}): Retriever {
  const { db, embedder, cache, logger } = deps;
  let vectorColumn: Promise<boolean> | undefined;
  const canUseVectors = async (storeId: string): Promise<boolean> => {
    if (!embedder) return false;
    vectorColumn ??= hasVectorColumn(db).catch(() => false);
    return (await vectorColumn) && (await hasEmbeddedChunks(db, storeId, embedder.model));
  };

  async function vectorRanking(storeId: string, query: string, depth: number, intent?: string) {
    try {
      if (!embedder || !(await canUseVectors(storeId))) return null;
      const [embedding] = await embedder.embed([query]);
      if (!embedding) return null;
      const hits = await vectorSearch(db, { storeId, model: embedder.model, embedding, limit: depth });
      return hits
        .map((h) => ({ ...h, similarity: h.similarity + (matchesIntent(intent, h) ? INTENT_VECTOR_BOOST : 0) }))
        .sort((a, b) => b.similarity - a.similarity);
    } catch (err) {
      logger?.warn({ storeId, err: (err as Error).message }, 'vector retrieval failed; using full-text results only');
      return null;
    }
  }

  return {
    async retrieve({ storeId, query, intent, limit = DEFAULT_LIMIT, knowledgeVersion }) {
      const question = query.trim().slice(0, 2000);
      const n = Math.min(Math.max(1, Math.floor(limit)), MAX_LIMIT);
      if (!question) return [];
      let key: string | undefined;
      if (cache) {
        const version = knowledgeVersion ?? (await getKnowledgeVersion(db, storeId));
        key = retrievalCacheKey({ storeId, version, query: question, intent, limit: n, model: embedder?.model ?? null });
        const hit = await cache.get(key);
        if (hit) return hit;
      }
      const depth = Math.max(n * DEPTH, 20);
      const [fts, vectors] = await Promise.all([
        ftsSearch(db, {
          storeId,
          question,
          limit: depth,
          boost: (c) => (matchesIntent(intent, c) ? INTENT_FTS_BOOST : 1),
        }),
        vectorRanking(storeId, question, depth, intent),
      ]);
      const lists: RankedList<Candidate>[] = [{ source: 'fts', items: fts }];
      if (vectors) lists.push({ source: 'vector', items: vectors });
      const passages = dedupe(reciprocalRankFusion(lists, (c) => c.chunkId))
        .slice(0, n)
        .map(({ item, score, sources }) => toPassage(item, score, sources));
      if (cache && key) await cache.set(key, passages, RETRIEVAL_CACHE_TTL_S);
      return passages;
    },
  };
}

/** The same text imported twice (a macro and a policy page, say) is cited once. */
function dedupe<T extends { item: Candidate }>(ranked: T[]): T[] {
  const seen = new Set<string>();
  return ranked.filter((r) => {
    if (seen.has(r.item.contentHash)) return false;
    seen.add(r.item.contentHash);
    return true;
  });
}

function toPassage(c: Candidate, score: number, sources: ('fts' | 'vector')[]): Passage {
  return {
    chunkId: c.chunkId,
    documentId: c.documentId,
    documentTitle: c.documentTitle,
    heading: c.heading,
    headingPath: c.headingPath,
    content: c.content,
    score: Math.round(score * 1e6) / 1e6,
    sources,
  };
}
