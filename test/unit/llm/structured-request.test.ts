/**
 * src/llm/openai-understanding.ts converts its zod schema to JSON Schema once instead of letting
 * @langchain/openai convert it on every call. The request OpenAI receives must not change: this
 * compares it, for both structured-output styles, with what LangChain builds from the zod schema.
 */
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chatModel } from '../../../src/llm/models.js';
import { createOpenAIUnderstanding, understandingSchema, usesJsonSchemaFormat } from '../../../src/llm/openai-understanding.js';
import { UNDERSTAND_SYSTEM, understandUserPrompt } from '../../../src/llm/understanding-prompt.js';
import { createLocalEngine } from '../../../src/nlu/local-engine.js';
import { mockOpenAI } from '../../helpers/openai-mock.js';

const structured = {
  intent: 'cancel_order',
  sub_intents: [],
  confidence: 0.9,
  language: 'en',
  sentiment: 'negative',
  intensity: 3,
  indicators: ['annoyed'],
  wants_human: false,
  legal_threat: false,
  safety_issue: false,
  extracted_entities: { order_id: '#W1234567', email: null, product: null },
  reasoning: 'wants to cancel',
};
const TEXT = 'Please cancel order #W1234567, it is taking forever';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('the understanding request', () => {
  it.each(['gpt-4o-mini', 'gpt-3.5-turbo'])('for %s is what LangChain builds from the zod schema', async (model) => {
    const settings = { apiKey: 'sk-test', timeoutMs: 5000 };
    const local = createLocalEngine();
    const ours = mockOpenAI({ structured, text: '', times: 2 });
    const engine = createOpenAIUnderstanding({ ...settings, model }, local);
    const first = await engine.understand(TEXT);
    await engine.understand(TEXT); // the cached runnable sends the same again
    expect(first.intent).toBe('cancel_order');

    const reference = mockOpenAI({ structured, text: '', times: 1 });
    const base = local.understandSync(TEXT, {});
    await chatModel(settings, model)
      .withStructuredOutput(understandingSchema, { name: 'understanding', includeRaw: true })
      .invoke([
        { role: 'system', content: UNDERSTAND_SYSTEM },
        { role: 'user', content: understandUserPrompt(base.cleanedText || TEXT, []) },
      ]);

    expect(ours.requests).toHaveLength(2);
    expect(ours.requests[0]).toEqual(reference.requests[0]);
    expect(ours.requests[1]).toEqual(reference.requests[0]);
    const r = ours.requests[0] as { response_format?: { type: string }; tools?: unknown[] };
    if (usesJsonSchemaFormat(model)) expect(r.response_format?.type).toBe('json_schema');
    else expect(r.tools).toHaveLength(1);
  });
});
