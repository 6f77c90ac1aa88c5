import type { AppContext } from '../../src/app/context.js';
import { embedDocument } from '../../src/knowledge/embed.js';
import { embedderFromConfig, type Embedder } from '../../src/knowledge/embedder.js';
import type { JobData } from '../catalog.js';

/**
 * `knowledge.embed`: vectors for one document's chunks. Provider 429/5xx/timeouts throw
 * RetryableError (the worker retries with backoff, honouring Retry-After); a 4xx fails the job
 * for good. Retrieval never waits for this: until it succeeds, the document is found by
 * full-text search alone.
 */
export function knowledgeEmbedHandler(ctx: AppContext, embedder: Embedder | null = embedderFromConfig(ctx.config)) {
  const log = ctx.logger.child({ component: 'knowledge.embed' });
  return async (data: JobData<'knowledge.embed'>) => {
    if (!embedder) return { embedded: 0, skipped: 'no_embedder' };
    const result = await embedDocument(ctx.db, embedder, data);
    log.info({ storeId: data.storeId, documentId: data.documentId, ...result }, 'knowledge embedded');
    return result;
  };
}
