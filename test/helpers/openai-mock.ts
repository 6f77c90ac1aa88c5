import nock from 'nock';

export const OPENAI_BASE = 'https://api.openai.com';

/** A chat.completion as the OpenAI API returns it (https://platform.openai.com/docs/api-reference/chat/object). */
export function chatCompletion(model: string, message: Record<string, unknown>, usage = { prompt_tokens: 420, completion_tokens: 80 }) {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    system_fingerprint: 'fp_test',
    choices: [{ index: 0, message: { role: 'assistant', refusal: null, ...message }, logprobs: null, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

type Body = { model: string; response_format?: unknown; tools?: { function: { name: string } }[]; messages: { role: string; content: string }[] };

/**
 * Answers /v1/chat/completions: structured requests (json_schema response_format or a function
 * tool) get `structured` in the shape that was asked for; plain requests get `text`.
 */
export function mockOpenAI(opts: { structured: Record<string, unknown>; text: string; times?: number }) {
  const requests: Body[] = [];
  const scope = nock(OPENAI_BASE)
    .post('/v1/chat/completions')
    .times(opts.times ?? 2)
    .reply(200, (_uri, body) => {
      const b = body as Body;
      requests.push(b);
      if (b.tools?.length) {
        const name = b.tools[0]!.function.name;
        return chatCompletion(b.model, {
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name, arguments: JSON.stringify(opts.structured) } }],
        });
      }
      if (b.response_format) return chatCompletion(b.model, { content: JSON.stringify(opts.structured) });
      return chatCompletion(b.model, { content: opts.text });
    });
  return { scope, requests };
}
