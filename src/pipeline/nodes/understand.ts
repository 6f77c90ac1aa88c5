import { parseAddress } from '../address-parse.js';
import type { PipelineDeps } from '../ports.js';
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
    return { understanding: result, engine, newAddress: parseAddress(result.cleanedText || input.text), trace: [entry] };
  };
}
