/** Public API of the understanding layer (what the pipeline and channels import). */
export type {
  Carrier,
  Entities,
  SentimentIntensity,
  Signals,
  TrackingNumber,
  UnderstandContext,
  Understanding,
  UnderstandingEngine,
} from './types.js';
export { cleanEmail, cleanText, type CleanedEmail } from './clean-text.js';
export {
  extractEmails,
  extractEntities,
  extractOrderNumbers,
  extractProducts,
  extractTrackingNumbers,
} from './entities.js';
export { analyzeSentiment, type SentimentResult } from './sentiment.js';
export { detectSignals } from './signals.js';
export { detectLanguage } from './language.js';
export {
  BUNDLED_MODEL_PATH,
  createLocalEngine,
  type LocalEngine,
  type LocalEngineOptions,
} from './local-engine.js';
export {
  createUnderstandingEngine,
  isEngineKind,
  type EngineDeps,
  type EngineKind,
  type OpenAiEngineFactory,
} from './engines.js';
