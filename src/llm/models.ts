import { ChatOpenAI } from '@langchain/openai';

export type OpenAISettings = {
  apiKey: string;
  baseUrl?: string;
  timeoutMs: number;
};

const clients = new Map<string, ChatOpenAI>();

/**
 * A chat model on OpenAI or any OpenAI-compatible server (vLLM, Ollama, Azure proxy…). One client
 * per settings and model, reused: building one per call cost ~10 ms of CPU per ticket.
 */
export function chatModel(settings: OpenAISettings, model: string, temperature = 0): ChatOpenAI {
  const key = JSON.stringify([settings.apiKey, settings.baseUrl ?? '', settings.timeoutMs, model, temperature]);
  let client = clients.get(key);
  if (!client) {
    client = newChatModel(settings, model, temperature);
    clients.set(key, client);
  }
  return client;
}

function newChatModel(settings: OpenAISettings, model: string, temperature: number): ChatOpenAI {
  return new ChatOpenAI({
    model,
    temperature,
    apiKey: settings.apiKey,
    timeout: settings.timeoutMs,
    // One quick retry inside the call; beyond that the pipeline falls back (model, then local engine).
    maxRetries: 1,
    configuration: settings.baseUrl ? { baseURL: settings.baseUrl } : undefined,
  });
}

/** Token usage from a LangChain message, whichever field the provider filled. */
export function usageOf(message: unknown): { input: number; output: number } {
  const m = message as {
    usage_metadata?: { input_tokens?: number; output_tokens?: number };
    response_metadata?: { tokenUsage?: { promptTokens?: number; completionTokens?: number } };
  };
  const u = m?.usage_metadata;
  if (u) return { input: u.input_tokens ?? 0, output: u.output_tokens ?? 0 };
  const t = m?.response_metadata?.tokenUsage;
  return { input: t?.promptTokens ?? 0, output: t?.completionTokens ?? 0 };
}
