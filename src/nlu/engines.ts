import { createLocalEngine, type LocalEngineOptions } from './local-engine.js';
import type { UnderstandingEngine } from './types.js';

export type EngineKind = 'local' | 'openai';

/**
 * Whatever the OpenAI engine needs (client, model name, settings) is closed over by the factory
 * the pipeline injects; this module stays free of any network dependency.
 */
export type OpenAiEngineFactory = () => UnderstandingEngine;

export type EngineDeps = {
  local?: LocalEngineOptions;
  openai?: OpenAiEngineFactory;
};

export function isEngineKind(value: unknown): value is EngineKind {
  return value === 'local' || value === 'openai';
}

export function createUnderstandingEngine(
  kind: EngineKind,
  deps: EngineDeps = {},
): UnderstandingEngine {
  if (kind === 'local') return createLocalEngine(deps.local);
  if (!deps.openai) throw new Error('the openai engine needs OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server)');
  return deps.openai();
}
