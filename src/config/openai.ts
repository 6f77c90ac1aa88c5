import { z } from 'zod';
import { intEnv, optionalString, urlEnv } from './env-helpers.js';

/** LLM provider settings. Without OPENAI_API_KEY the local engine runs fully offline. */
export const openaiEnvSchema = z.object({
  OPENAI_API_KEY: optionalString(),
  /** Any OpenAI-compatible server (vLLM, Ollama, Azure, a proxy). */
  OPENAI_BASE_URL: urlEnv(),
  OPENAI_UNDERSTAND_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_UNDERSTAND_FALLBACK_MODEL: z.string().default('gpt-3.5-turbo'),
  OPENAI_RESPOND_MODEL: z.string().default('gpt-4o'),
  OPENAI_RESPOND_FALLBACK_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: intEnv(15_000, 100, 300_000),
  /** Embeddings for vector retrieval. Unset → full-text retrieval only. */
  EMBEDDINGS_MODEL: optionalString(),
  EMBEDDINGS_DIMENSIONS: intEnv(1536, 16, 4096),
});
