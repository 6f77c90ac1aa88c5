import type { Knex } from 'knex';
import type { jobCatalog } from '../../jobs/catalog.js';
import type { Queues } from '../../jobs/queues.js';
import type { AppContext } from '../app/context.js';
import type { Logger } from '../logger.js';
import { createRedisRetrievalCache, withLocalLayer } from './cache.js';
import { scheduleEmbeddings } from './embed.js';
import { embedderFromConfig, type Embedder } from './embedder.js';
import { importDocument, type ImportInput, type ImportResult } from './import.js';
import { createRetriever, type Retriever } from './retrieve.js';

export type KnowledgeDeps = {
  db: Knex;
  queues?: Pick<Queues<typeof jobCatalog>, 'enqueue'> | null;
  embedder?: Embedder | null;
  logger?: Logger;
};

/** `queued`: a knowledge.embed job will add vectors; `off`: no embeddings provider. */
export type EmbeddingState = 'queued' | 'up_to_date' | 'off' | 'not_queued';

/**
 * Imports a document, then schedules its embeddings when a provider is configured. A failed
 * enqueue (Redis away) is logged, never fatal: full-text retrieval already works, and
 * scheduleEmbeddings() at the next start or import catches up.
 */
export async function importKnowledge(
  deps: KnowledgeDeps,
  input: ImportInput,
): Promise<ImportResult & { embedding: EmbeddingState }> {
  const result = await importDocument(deps.db, input);
  return { ...result, embedding: await scheduleFor(deps, input.storeId, result.documentId) };
}

export async function scheduleFor(deps: KnowledgeDeps, storeId: string, documentId: string): Promise<EmbeddingState> {
  if (!deps.embedder || !deps.queues) return 'off';
  try {
    const n = await scheduleEmbeddings(deps.db, deps.queues, deps.embedder.model, { storeId, documentId });
    return n > 0 ? 'queued' : 'up_to_date';
  } catch (err) {
    deps.logger?.warn({ storeId, documentId, err: (err as Error).message }, 'could not enqueue knowledge.embed');
    return 'not_queued';
  }
}

/**
 * Queues embeddings for every document still missing vectors from the configured model (the
 * demo policy imported at bootstrap, documents imported while Redis was away, a model change).
 * Meant for worker start-up; a no-op without an embeddings provider. Returns the documents queued.
 */
export async function scheduleMissingEmbeddings(ctx: AppContext): Promise<number> {
  const embedder = embedderFromConfig(ctx.config);
  if (!embedder) return 0;
  try {
    return await scheduleEmbeddings(ctx.db, ctx.queues, embedder.model);
  } catch (err) {
    ctx.logger.warn({ err: (err as Error).message }, 'could not queue missing knowledge embeddings');
    return 0;
  }
}

export function knowledgeDeps(ctx: AppContext): KnowledgeDeps {
  return { db: ctx.db, queues: ctx.queues, embedder: embedderFromConfig(ctx.config), logger: ctx.logger };
}

/**
 * The retriever a process uses: the configured embedder, and the Redis cache under the
 * install's key prefix (so several installs can share one Redis), with the latest answers also
 * kept in the process.
 */
export function retrieverFromContext(ctx: AppContext): Retriever {
  return createRetriever({
    db: ctx.db,
    embedder: embedderFromConfig(ctx.config),
    cache: withLocalLayer(createRedisRetrievalCache(ctx.redis, { prefix: ctx.config.QUEUE_PREFIX })),
    logger: ctx.logger,
  });
}
