import type { CommerceConnector } from '../../connectors/types.js';
import type { AppContext } from '../app/context.js';
import { getCommerceConnector } from '../commerce/resolve-connector.js';
import { createOrderFacts } from './order-facts.js';
import { createOpenAIResponder } from '../llm/openai-responder.js';
import { createOpenAIUnderstanding } from '../llm/openai-understanding.js';
import { embedderFromConfig } from '../knowledge/embedder.js';
import { atKnowledgeVersion, createRetriever, type Retriever } from '../knowledge/retrieve.js';
import { retrieverFromContext } from '../knowledge/service.js';
import { createLocalEngine, type LocalEngine } from '../nlu/local-engine.js';
import type { UnderstandingEngine } from '../nlu/types.js';
import type { Store } from '../store/stores.js';
import { buildGraph, type PipelineGraph } from './graph.js';
import { productsByName } from './product-facts.js';
import type { PipelineDeps, Responder } from './ports.js';
import { createCustomerFacts } from './customer-facts.js';
import { createTemplateResponder } from './respond/template-responder.js';
import { skipUntracedRunTrees } from './untraced-runs.js';

/** Per-process parts of the pipeline: loaded once at start (the model), shared by every turn. */
export type PipelineRuntime = {
  local: LocalEngine;
  openai: UnderstandingEngine | null;
  responder: Responder;
  templates: Responder;
  retriever: Retriever;
  engineName: 'local' | 'openai';
};

export function createPipelineRuntime(ctx: Pick<AppContext, 'config' | 'db' | 'logger'> & Partial<AppContext>, opts: { engine?: 'local' | 'openai' } = {}): PipelineRuntime {
  const c = ctx.config;
  skipUntracedRunTrees();
  const local = createLocalEngine();
  const templates = createTemplateResponder();
  const useOpenAI = (opts.engine ?? (c.OPENAI_API_KEY ? 'openai' : 'local')) === 'openai' && Boolean(c.OPENAI_API_KEY);
  const settings = { apiKey: c.OPENAI_API_KEY ?? '', baseUrl: c.OPENAI_BASE_URL, timeoutMs: c.OPENAI_TIMEOUT_MS };
  return {
    local,
    templates,
    openai: useOpenAI
      ? createOpenAIUnderstanding({ ...settings, model: c.OPENAI_UNDERSTAND_MODEL, fallbackModel: c.OPENAI_UNDERSTAND_FALLBACK_MODEL }, local)
      : null,
    responder: useOpenAI ? createOpenAIResponder({ ...settings, model: c.OPENAI_RESPOND_MODEL, fallbackModel: c.OPENAI_RESPOND_FALLBACK_MODEL }) : templates,
    // With Redis (every real process): the 1-hour retrieval cache and the configured embedder.
    retriever: ctx.redis && ctx.queues
      ? retrieverFromContext(ctx as AppContext)
      : createRetriever({ db: ctx.db, embedder: embedderFromConfig(c), logger: ctx.logger }),
    engineName: useOpenAI ? 'openai' : 'local',
  };
}

const runtimes = new WeakMap<object, PipelineRuntime>();

/**
 * The process's runtime for this context, built once: with `npm start` the API and the worker share
 * one loaded model instead of two.
 */
export function pipelineRuntimeFor(ctx: AppContext): PipelineRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    runtime = createPipelineRuntime(ctx);
    runtimes.set(ctx, runtime);
  }
  return runtime;
}

const productNamesCache = new Map<string, { names: string[]; at: number }>();

/** Catalogue names for entity extraction; a read cache (5 min), nothing another process needs. */
async function productNames(ctx: Pick<AppContext, 'db'>, storeId: string): Promise<string[]> {
  const hit = productNamesCache.get(storeId);
  if (hit && Date.now() - hit.at < 300_000) return hit.names;
  const rows = await ctx.db('products').where({ store_id: storeId }).select('name');
  const names = rows.map((r: { name: string }) => r.name);
  productNamesCache.set(storeId, { names, at: Date.now() });
  return names;
}

/** What the caller already read for this turn, so it is not read again. */
export type TurnPreload = { knowledgeVersion?: number };

/** The dependencies of one store's turn: its commerce data, knowledge and customers. */
export async function pipelineDepsFor(
  ctx: AppContext,
  runtime: PipelineRuntime,
  store: Store,
  commerce?: CommerceConnector,
  preload: TurnPreload = {},
): Promise<PipelineDeps> {
  const connector = commerce ?? (await getCommerceConnector(ctx, store));
  return {
    engine: runtime.openai ?? runtime.local,
    fallbackEngine: runtime.openai ? runtime.local : undefined,
    orders: createOrderFacts(ctx, store, connector),
    knowledge: atKnowledgeVersion(runtime.retriever, preload.knowledgeVersion),
    catalogue: { byNames: (names) => productsByName(ctx.db, store.id, names) },
    customers: createCustomerFacts(ctx.db, store.id),
    responder: runtime.responder,
    fallbackResponder: runtime.responder === runtime.templates ? undefined : runtime.templates,
    productNames: await productNames(ctx, store.id),
  };
}

export async function pipelineFor(
  ctx: AppContext,
  runtime: PipelineRuntime,
  store: Store,
  commerce?: CommerceConnector,
  preload?: TurnPreload,
): Promise<PipelineGraph> {
  return buildGraph(await pipelineDepsFor(ctx, runtime, store, commerce, preload));
}
