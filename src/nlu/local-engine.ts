import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEmail } from './clean-text.js';
import { extractEntities } from './entities.js';
import { classifyIntent, type SubIntentOptions } from './classifier/intent-classifier.js';
import type { LinearModel } from './classifier/linear-model.js';
import { loadModel, type ModelMetadata } from './classifier/model-file.js';
import { detectLanguage } from './language.js';
import { analyzeSentiment } from './sentiment.js';
import { matchSignals } from './signals.js';
import type { Signals, UnderstandContext, Understanding, UnderstandingEngine } from './types.js';

/**
 * The committed model, found relative to this file (src/nlu/ under tsx, dist/src/nlu/ after
 * `npm run build`, which does not copy data/) so it works from any working directory.
 */
export const BUNDLED_MODEL_PATH = [
  fileURLToPath(new URL('../../data/nlu/intent-model.json', import.meta.url)),
  fileURLToPath(new URL('../../../data/nlu/intent-model.json', import.meta.url)),
  resolve('data/nlu/intent-model.json'),
].find((p) => existsSync(p)) ?? resolve('data/nlu/intent-model.json');

// Models are read-only after loading: engines created for the same file share one copy (~10 MB).
const modelCache = new Map<string, LinearModel & ModelMetadata>();

function cachedModel(path: string): LinearModel & ModelMetadata {
  const key = resolve(path);
  let model = modelCache.get(key);
  if (!model) {
    model = loadModel(key);
    modelCache.set(key, model);
  }
  return model;
}

export type LocalEngineOptions = {
  /** Model file written by `npm run train` (default: data/nlu/intent-model.json). */
  modelPath?: string;
  /** An already loaded model (tests, or sharing one model between engines). */
  model?: LinearModel;
  /** Catalogue names to recognise; `ctx.productNames` overrides per call. */
  productNames?: string[];
  subIntents?: SubIntentOptions;
};

export type LocalEngine = UnderstandingEngine & {
  readonly name: 'local';
  /** Synchronous variant of `understand` (everything is in memory). */
  understandSync(text: string, ctx?: UnderstandContext): Understanding;
  readonly model: LinearModel & ModelMetadata;
};

const FOLLOW_UP = /\b(follow(ing)?[ -]up|any (update|news)|still|again|chasing)\b/i;

/**
 * Repeat contact from the conversation as well as the words: a third message, or a second
 * one that chases the first.
 */
function isRepeatContact(text: string, previous: readonly string[], fromText: boolean): boolean {
  if (fromText) return true;
  return previous.length >= 2 || (previous.length >= 1 && FOLLOW_UP.test(text));
}

export function createLocalEngine(opts: LocalEngineOptions = {}): LocalEngine {
  const model: LinearModel & ModelMetadata =
    opts.model ?? cachedModel(opts.modelPath ?? BUNDLED_MODEL_PATH);

  const understandSync = (text: string, ctx: UnderstandContext = {}): Understanding => {
    const { text: cleaned, quoted } = cleanEmail(text);
    const intent = classifyIntent(model, cleaned, opts.subIntents);
    const matches = matchSignals(cleaned);
    const repeatContact = isRepeatContact(
      cleaned,
      ctx.previousMessages ?? [],
      matches.repeatContact !== undefined,
    );
    const sentiment = analyzeSentiment(cleaned, matches, { repeatContact });
    const signals: Signals = {
      wantsHuman: matches.wantsHuman !== undefined,
      legalThreat: matches.legalThreat !== undefined,
      safetyIssue: matches.safetyIssue !== undefined,
      repeatContact,
      threatensChargeback: matches.threatensChargeback !== undefined,
      threatensReview: matches.threatensReview !== undefined,
    };
    return {
      language: detectLanguage(cleaned),
      intent: intent.intent,
      subIntents: intent.subIntents,
      confidence: intent.confidence,
      scores: intent.scores,
      sentiment: sentiment.sentiment,
      sentimentIntensity: sentiment.intensity,
      sentimentIndicators: sentiment.indicators,
      entities: extractEntities(cleaned, {
        productNames: ctx.productNames ?? opts.productNames ?? [],
        fallbackText: quoted,
      }),
      signals,
      cleanedText: cleaned,
    };
  };

  return {
    name: 'local',
    model,
    understandSync,
    understand: async (text, ctx) => understandSync(text, ctx),
  };
}
