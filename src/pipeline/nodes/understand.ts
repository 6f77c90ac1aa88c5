import { parseAddress } from '../address-parse.js';
import type { PipelineDeps } from '../ports.js';
import { ORDER_INTENTS } from '../../domain/intents.js';
import type { Understanding } from '../../nlu/types.js';
import type { State, StateUpdate } from '../state.js';
import { traced } from '../trace.js';

/** Understand: language, intent, sentiment, entities, in one result. Falls back to the local engine. */
export function understandNode(deps: Pick<PipelineDeps, 'engine' | 'fallbackEngine' | 'productNames'>) {
  return async (state: State): Promise<StateUpdate> => {
    const { input } = state;
    const ctx = {
      previousMessages: input.history.filter((m) => m.role === 'user').map((m) => m.content),
      productNames: deps.productNames,
    };
    let engine: string = deps.engine.name;
    let note: string | undefined;
    const { result, entry } = await traced(
      'understand',
      async () => {
        try {
          return await deps.engine.understand(input.text, ctx);
        } catch (err) {
          if (!deps.fallbackEngine) throw err;
          engine = `${deps.engine.name}->${deps.fallbackEngine.name}`;
          note = `${deps.engine.name} engine failed (${(err as Error).message}); the local engine answered`;
          return deps.fallbackEngine.understand(input.text, ctx);
        }
      },
      (u) => ({
        language: u.language,
        intent: u.intent,
        subIntents: u.subIntents,
        confidence: u.confidence,
        sentiment: u.sentiment,
        sentimentIntensity: u.sentimentIntensity,
        indicators: u.sentimentIndicators,
        entities: u.entities,
        signals: u.signals,
      }),
    );
    const tokens = (result as { usage?: { tokens: number; costUsd: number; model: string } }).usage;
    if (note) entry.note = note;
    if (tokens) Object.assign(entry, { model: tokens.model, tokens: tokens.tokens, costUsd: tokens.costUsd });
    return { understanding: carryOver(result, input.history), engine, newAddress: parseAddress(result.cleanedText || input.text), trace: [entry] };
  };
}


/**
 * A short follow-up ("it was supposed to arrive yesterday") that the classifier is unsure about,
 * with no order number of its own, continues the conversation's last order topic.
 */
export function carryOver(u: Understanding, history: State['input']['history']): Understanding {
  if (u.confidence >= 0.6 || u.entities.orderNumbers.length > 0) return u;
  const last = [...history].reverse().find((m) => m.role === 'user' && m.intent && ORDER_INTENTS.has(m.intent));
  if (!last?.intent) return u;
  const previous = last.intent as Understanding['intent'];
  // The conversation, not this fragment alone, says what it is about: a little less sure than before.
  const carried = (last.confidence ?? 0) * 0.9;
  return { ...u, intent: previous, subIntents: [...new Set([u.intent, ...u.subIntents])].filter((i) => i !== previous), confidence: Math.max(u.confidence, carried) };
}
