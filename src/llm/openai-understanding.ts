import { toJsonSchema } from '@langchain/core/utils/json_schema';
import type { Runnable } from '@langchain/core/runnables';
import type { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';
import { INTENTS, SENTIMENTS } from '../domain/intents.js';
import type { LocalEngine } from '../nlu/local-engine.js';
import type { UnderstandContext, Understanding, UnderstandingEngine } from '../nlu/types.js';
import { chatModel, usageOf, type OpenAISettings } from './models.js';
import { costUsd } from './pricing.js';
import { UNDERSTAND_SYSTEM, understandUserPrompt } from './understanding-prompt.js';

export const understandingSchema = z.object({
  intent: z.enum(INTENTS),
  sub_intents: z.array(z.enum(INTENTS)),
  confidence: z.number().min(0).max(1),
  language: z.string().describe('ISO 639-1 code of the message language'),
  sentiment: z.enum(SENTIMENTS),
  intensity: z.number().int().min(1).max(5),
  indicators: z.array(z.string()),
  wants_human: z.boolean().describe('the customer explicitly asks for a person'),
  legal_threat: z.boolean(),
  safety_issue: z.boolean(),
  extracted_entities: z.object({
    order_id: z.string().nullable(),
    email: z.string().nullable(),
    product: z.string().nullable(),
  }),
  reasoning: z.string(),
});

const FORMAT_NAME = 'understanding';

/**
 * The response format's JSON Schema, converted from zod once per process. Given the zod schema,
 * @langchain/openai converts it again on every call (twice, with the tracing parameters): about
 * 1.2 ms of CPU per ticket. The options are the ones it uses, so the request body is unchanged.
 * The JSON round trip drops zod's `~standard` marker, which would make LangChain convert it again.
 */
const understandingJsonSchema = plainJson(
  toJsonSchema(understandingSchema, {
    cycles: 'ref',
    reused: 'ref',
    override(ctx) {
      ctx.jsonSchema.title = FORMAT_NAME;
    },
  }),
);

function plainJson(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/** @langchain/openai's choice: a json_schema response format except for gpt-3*, gpt-4-* and gpt-4. */
export function usesJsonSchemaFormat(model: string): boolean {
  return !model.startsWith('gpt-3') && !model.startsWith('gpt-4-') && model !== 'gpt-4';
}

type StructuredResult = { parsed: unknown; raw: unknown };
const structuredModels = new WeakMap<ChatOpenAI, Runnable<unknown, StructuredResult>>();

/** The structured-output runnable of a (cached) chat model, built once. */
function structuredModel(model: ChatOpenAI): Runnable<unknown, StructuredResult> {
  let runnable = structuredModels.get(model);
  if (!runnable) {
    // Older models get a function tool instead (LangChain's rule): built once here, from zod as before.
    runnable = (
      usesJsonSchemaFormat(model.model)
        ? model.withStructuredOutput(understandingJsonSchema, { name: FORMAT_NAME, includeRaw: true, strict: true })
        : model.withStructuredOutput(understandingSchema, { name: FORMAT_NAME, includeRaw: true })
    ) as Runnable<unknown, StructuredResult>;
    structuredModels.set(model, runnable);
  }
  return runnable;
}

export type Usage = { model: string; tokens: number; costUsd: number };

/**
 * Understanding with an OpenAI model (structured output), the fallback model when the first fails,
 * merged with the local engine's pattern work: order numbers, emails and tracking numbers come from
 * patterns (exact), and the local safety signals are kept (a model may miss a legal threat; we
 * must not).
 */
export function createOpenAIUnderstanding(
  settings: OpenAISettings & { model: string; fallbackModel?: string },
  local: LocalEngine,
): UnderstandingEngine {
  const models = [settings.model, settings.fallbackModel].filter((m): m is string => Boolean(m));
  return {
    name: 'openai',
    async understand(text: string, ctx: UnderstandContext = {}): Promise<Understanding & { usage: Usage }> {
      const base = local.understandSync(text, ctx);
      let lastError: unknown;
      for (const model of models) {
        try {
          const { parsed, raw } = await structuredModel(chatModel(settings, model)).invoke([
            { role: 'system', content: UNDERSTAND_SYSTEM },
            { role: 'user', content: understandUserPrompt(base.cleanedText || text, ctx.previousMessages ?? []) },
          ]);
          const out = understandingSchema.parse(parsed);
          const usage = usageOf(raw);
          const orderNumbers = base.entities.orderNumbers.length
            ? base.entities.orderNumbers
            : out.extracted_entities.order_id
              ? [normaliseOrderNumber(out.extracted_entities.order_id)]
              : [];
          return {
            ...base,
            language: /^[a-z]{2}$/.test(out.language) ? out.language : base.language,
            intent: out.intent,
            subIntents: out.sub_intents.filter((i) => i !== out.intent),
            confidence: out.confidence,
            scores: { [out.intent]: out.confidence },
            sentiment: out.sentiment,
            sentimentIntensity: Math.min(5, Math.max(1, out.intensity)) as Understanding['sentimentIntensity'],
            sentimentIndicators: out.indicators,
            entities: { ...base.entities, orderNumbers },
            signals: {
              ...base.signals,
              wantsHuman: base.signals.wantsHuman || out.wants_human,
              legalThreat: base.signals.legalThreat || out.legal_threat,
              safetyIssue: base.signals.safetyIssue || out.safety_issue,
            },
            usage: { model, tokens: usage.input + usage.output, costUsd: costUsd(model, usage.input, usage.output) },
          };
        } catch (err) {
          lastError = err;
        }
      }
      throw lastError instanceof Error ? lastError : new Error('understanding failed');
    },
  };
}

function normaliseOrderNumber(raw: string): string {
  const s = raw.trim();
  if (/^#?W\d{7}$/i.test(s)) return `#${s.replace(/^#/, '').toUpperCase()}`;
  return s.replace(/^#/, '');
}
