import type { PipelineDeps } from '../ports.js';
import { relevantPassages } from '../relevance.js';
import type { ReplyFacts } from '../respond/facts.js';
import type { State, StateUpdate } from '../state.js';
import { traced } from '../trace.js';

export function replyFacts(state: State): ReplyFacts {
  const u = state.understanding!;
  const ctx = state.context!;
  const d = state.decision!;
  // Order details are facts only for their owner: a mismatched requester's reply sees none.
  const disclose = d.ownership === 'verified';
  const question = u.cleanedText || state.input.text;
  return {
    plan: d.plan,
    decision: d,
    language: u.language,
    customerName: disclose ? (ctx.customer?.name ?? state.input.customerName) : state.input.customerName,
    customerMessage: state.input.text,
    question,
    sentiment: u.sentiment,
    intent: u.intent,
    order: disclose ? ctx.orders.order : null,
    candidates: d.ownership === 'no_order' && d.plan === 'order_list' ? ctx.orders.candidates : [],
    // Passages that answer the question first; the rest stay as context for an LLM.
    passages: (() => {
      const relevant = relevantPassages(ctx.passages, question);
      return [...relevant, ...ctx.passages.filter((p) => !relevant.includes(p))];
    })(),
    products: ctx.products ?? [],
    settings: state.input.settings,
  };
}

/** Respond: the reply from the gathered facts only (templates or LLM), in the customer's language. */
export function respondNode(deps: Pick<PipelineDeps, 'responder' | 'fallbackResponder'>) {
  return async (state: State): Promise<StateUpdate> => {
    const facts = replyFacts(state);
    let note: string | undefined;
    const { result, entry } = await traced(
      'respond',
      async () => {
        try {
          return await deps.responder.respond(facts);
        } catch (err) {
          if (!deps.fallbackResponder) throw err;
          note = `${deps.responder.name} failed (${(err as Error).message}); templates answered`;
          return deps.fallbackResponder.respond(facts);
        }
      },
      (r) => ({ author: r.author, language: r.language, text: r.text }),
      (r) => ({ model: r.author, tokens: r.tokens, costUsd: r.costUsd }),
    );
    if (note) entry.note = note;
    return { reply: result, trace: [entry] };
  };
}
