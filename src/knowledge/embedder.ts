import { z } from 'zod';
import type { Config } from '../config/index.js';
import { PermanentError, RetryableError } from '../errors.js';

/** Turns texts into vectors. One model per embedder: its name is stored with each vector. */
export interface Embedder {
  readonly model: string;
  embed(texts: string[]): Promise<number[][]>;
}

export type OpenAIEmbedderOptions = {
  /** Sent as a Bearer token; optional for local OpenAI-compatible servers (Ollama, vLLM). */
  apiKey?: string;
  /** @defaultValue 'https://api.openai.com/v1' */
  baseUrl?: string;
  model: string;
  timeoutMs: number;
  /** Injectable for tests; plain global fetch by default (nock intercepts it). */
  fetch?: typeof fetch;
  /** Output size, for models that accept it (text-embedding-3-*). */
  dimensions?: number;
  /** Inputs per request. @defaultValue 64 */
  batchSize?: number;
};

// Response shape of POST /v1/embeddings (OpenAI API reference, "The embedding object").
const responseSchema = z.object({
  data: z.array(z.object({ embedding: z.array(z.number()), index: z.number().int() })),
  usage: z.object({ prompt_tokens: z.number().optional(), total_tokens: z.number().optional() }).partial().optional(),
});

/**
 * The OpenAI embeddings HTTP API (`POST {base}/embeddings`, body `{model, input: string[]}`),
 * also spoken by Azure/vLLM/Ollama and other compatible servers. 429/5xx/timeouts throw
 * RetryableError (with the server's Retry-After), other 4xx PermanentError.
 */
export function createOpenAIEmbedder(opts: OpenAIEmbedderOptions): Embedder {
  const base = (opts.baseUrl ?? 'https://api.openai.com/v1').replace(/\/+$/, '');
  const doFetch = opts.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const batchSize = opts.batchSize ?? 64;

  async function embedBatch(input: string[]): Promise<number[][]> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;
    const body = { model: opts.model, input, ...(opts.dimensions ? { dimensions: opts.dimensions } : {}) };
    let res: Response;
    try {
      res = await doFetch(`${base}/embeddings`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
    } catch (err) {
      throw new RetryableError(`embeddings request failed: ${(err as Error).message}`, undefined, { cause: err });
    }
    if (!res.ok) {
      const message = await errorMessage(res);
      if (res.status === 429 || res.status >= 500) {
        throw new RetryableError(`embeddings API ${res.status}: ${message}`, retryAfterMs(res.headers.get('retry-after')));
      }
      throw new PermanentError(`embeddings API ${res.status}: ${message}`, res.status);
    }
    const parsed = responseSchema.safeParse(await res.json().catch(() => null));
    if (!parsed.success || parsed.data.data.length !== input.length) {
      throw new PermanentError('embeddings API returned an unexpected body');
    }
    return [...parsed.data.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
  }

  return {
    model: opts.model,
    async embed(texts) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        // Empty strings are rejected by the API; a single space embeds as "nothing".
        out.push(...(await embedBatch(texts.slice(i, i + batchSize).map((t) => t.trim() || ' '))));
      }
      return out;
    },
  };
}

/**
 * The embedder configured by the environment: EMBEDDINGS_MODEL plus OPENAI_API_KEY (OpenAI) or
 * OPENAI_BASE_URL (a compatible server). Null → full-text retrieval only.
 */
export function embedderFromConfig(config: Config, fetchImpl?: typeof fetch): Embedder | null {
  const model = config.EMBEDDINGS_MODEL;
  if (!model || (!config.OPENAI_API_KEY && !config.OPENAI_BASE_URL)) return null;
  return createOpenAIEmbedder({
    apiKey: config.OPENAI_API_KEY,
    baseUrl: config.OPENAI_BASE_URL,
    model,
    timeoutMs: config.OPENAI_TIMEOUT_MS,
    fetch: fetchImpl,
    // Only text-embedding-3 models take a size; older and non-OpenAI models reject the field.
    dimensions: /^text-embedding-3/.test(model) ? config.EMBEDDINGS_DIMENSIONS : undefined,
  });
}

async function errorMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: string } | string };
    const m = typeof body.error === 'string' ? body.error : body.error?.message;
    if (m) return m.slice(0, 300);
  } catch {
    // not JSON
  }
  return text.slice(0, 300) || res.statusText;
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}
