import { Router, type Request } from 'express';
import type { AppContext } from '../app/context.js';
import { badRequest, conflict, HttpError, notFound, PermanentError, RetryableError } from '../errors.js';
import { requireApiKey, requireOwnStore } from '../http/middleware/auth.js';
import {
  approveBodySchema,
  importBodySchema,
  isUuid,
  learnBodySchema,
  listQuerySchema,
  macroSyncBodySchema,
  searchQuerySchema,
  slugify,
} from '../knowledge/api-schemas.js';
import { decideCandidate, deleteDocument, getDocument, listDocuments } from '../knowledge/documents.js';
import { KnowledgeInputError } from '../knowledge/import.js';
import { resolveHelpdeskAuth, syncMacros } from '../knowledge/macro-sync.js';
import { toCitation, type Retriever } from '../knowledge/retrieve.js';
import { importKnowledge, knowledgeDeps, retrieverFromContext, scheduleFor } from '../knowledge/service.js';

/**
 * Store knowledge: import (Markdown, text, HTML), list, read, delete, search preview, learned
 * FAQ candidates (approve/reject) and helpdesk macro sync. Every route is scoped to the API
 * key's own store (403 otherwise); documents of another store answer 404.
 */
export function knowledgeRouter(ctx: AppContext): Router {
  const router = Router();
  const deps = knowledgeDeps(ctx);
  let retriever: Retriever | undefined;
  const read = [requireApiKey(ctx.db, 'read'), requireOwnStore(ctx.db)];
  const write = [requireApiKey(ctx.db, 'write'), requireOwnStore(ctx.db)];
  const storeOf = (req: Request) => String(req.params.storeId);
  const docOf = (req: Request) => {
    const id = String(req.params.documentId);
    if (!isUuid(id)) throw notFound('document not found');
    return id;
  };

  router.post('/stores/:storeId/knowledge', ...write, async (req, res) => {
    const body = importBodySchema.parse(req.body);
    const storeId = storeOf(req);
    const result = await importKnowledge(deps, {
      storeId,
      title: body.title,
      sourceRef: body.sourceRef ?? slugify(body.title),
      content: body.content,
      format: body.format,
      source: body.source,
      category: body.category ?? null,
      language: body.language,
    }).catch(asBadRequest);
    const document = await getDocument(ctx.db, storeId, result.documentId);
    res.status(result.unchanged ? 200 : 201).json({
      document: document && { ...document, content: undefined, chunkList: undefined },
      chunks: result.chunks,
      unchanged: result.unchanged,
      embedding: result.embedding,
    });
  });

  router.get('/stores/:storeId/knowledge', ...read, async (req, res) => {
    const q = listQuerySchema.parse(req.query);
    res.json({ documents: await listDocuments(ctx.db, storeOf(req), q) });
  });

  router.get('/stores/:storeId/knowledge/search', ...read, async (req, res) => {
    const q = searchQuerySchema.parse(req.query);
    retriever ??= retrieverFromContext(ctx);
    const passages = await retriever.retrieve({ storeId: storeOf(req), query: q.q, intent: q.intent, limit: q.limit });
    res.json({
      passages: passages.map((p) => ({ ...p, citation: toCitation(p) })),
    });
  });

  router.get('/stores/:storeId/knowledge/candidates', ...read, async (req, res) => {
    res.json({ candidates: await listDocuments(ctx.db, storeOf(req), { status: 'candidate', limit: 200 }) });
  });

  router.post('/stores/:storeId/knowledge/candidates/:documentId/approve', ...write, async (req, res) => {
    const storeId = storeOf(req);
    const id = docOf(req);
    const edits = approveBodySchema.parse(req.body ?? {});
    const doc = await getDocument(ctx.db, storeId, id);
    if (!doc) throw notFound('document not found');
    if (doc.status !== 'candidate') throw conflict(`document is ${doc.status}, not a candidate`);
    if (edits.title || edits.content) {
      // An edited answer replaces the candidate's text, then becomes active in the same import.
      await importKnowledge(deps, {
        storeId,
        title: edits.title ?? doc.title,
        sourceRef: doc.sourceRef,
        content: edits.content ?? doc.content,
        source: doc.source as 'learned',
        format: doc.format as 'markdown',
        category: doc.category,
        language: doc.language,
        status: 'active',
        metadata: doc.metadata,
      }).catch(asBadRequest);
    } else {
      const outcome = await decideCandidate(ctx.db, storeId, id, 'active');
      if (outcome === 'not_found') throw notFound('document not found');
      if (outcome === 'not_candidate') throw conflict('document is no longer a candidate');
      await scheduleFor(deps, storeId, id);
    }
    res.json({ document: await getDocument(ctx.db, storeId, id).then((d) => d && { ...d, chunkList: undefined }) });
  });

  router.post('/stores/:storeId/knowledge/candidates/:documentId/reject', ...write, async (req, res) => {
    const outcome = await decideCandidate(ctx.db, storeOf(req), docOf(req), 'rejected');
    if (outcome === 'not_found') throw notFound('document not found');
    if (outcome === 'not_candidate') throw conflict('document is not a candidate');
    res.json({ id: docOf(req), status: 'rejected' });
  });

  router.post('/stores/:storeId/knowledge/learn', ...write, async (req, res) => {
    const { conversationId } = learnBodySchema.parse(req.body);
    const storeId = storeOf(req);
    const conv = await ctx.db('conversations').where({ id: conversationId, store_id: storeId }).first('id');
    if (!conv) throw notFound('conversation not found');
    const jobId = await ctx.queues.enqueue('knowledge.learn', { storeId, conversationId }, { jobId: `klearn-${conversationId}` });
    res.status(202).json({ jobId });
  });

  router.post('/stores/:storeId/knowledge/macros/sync', requireApiKey(ctx.db, 'admin'), requireOwnStore(ctx.db), async (req, res) => {
    const body = macroSyncBodySchema.parse(req.body);
    const storeId = storeOf(req);
    const auth = await resolveHelpdeskAuth(ctx, storeId, body.source);
    if (!auth) throw conflict(`no ${body.source} connector is configured for this store`);
    try {
      res.json(await syncMacros(deps, { storeId, source: body.source, auth, language: body.language }));
    } catch (err) {
      if (err instanceof RetryableError || err instanceof PermanentError) {
        throw new HttpError(502, `${body.source}: ${err.message}`);
      }
      throw asBadRequest(err);
    }
  });

  router.get('/stores/:storeId/knowledge/:documentId', ...read, async (req, res) => {
    const doc = await getDocument(ctx.db, storeOf(req), docOf(req));
    if (!doc) throw notFound('document not found');
    const { chunkList, ...rest } = doc;
    res.json({ document: rest, chunks: chunkList });
  });

  router.delete('/stores/:storeId/knowledge/:documentId', ...write, async (req, res) => {
    if (!(await deleteDocument(ctx.db, storeOf(req), docOf(req)))) throw notFound('document not found');
    res.status(204).end();
  });

  return router;
}

function asBadRequest(err: unknown): never {
  if (err instanceof KnowledgeInputError) throw badRequest(err.message);
  throw err;
}
