import type { Intent } from '../../domain/intents.js';
import { splitClauses } from './clauses.js';
import { predictText, type LinearModel, type Prediction } from './linear-model.js';

export type IntentResult = {
  intent: Intent;
  /** Calibrated probability of `intent`. */
  confidence: number;
  scores: Partial<Record<Intent, number>>;
  subIntents: Intent[];
};

export type SubIntentOptions = {
  /** Calibrated probability a clause introduced as an extra request ("also…") must reach. */
  additionalThreshold: number;
  /** Probability a standalone question must reach when the message asks several questions. */
  questionThreshold: number;
};

export const DEFAULT_SUB_INTENTS: SubIntentOptions = {
  additionalThreshold: 0.6,
  questionThreshold: 0.9,
};

// Complaints and chit-chat colour many single-request messages ("This is ridiculous."); only
// concrete requests are reported as sub-intents.
const NOT_A_SUB_INTENT: readonly Intent[] = ['other', 'complaint'];

/**
 * Secondary requests of a multi-request message: a clause introduced as an additional request
 * ("…and also where is #W2?") or, when the message asks several questions, a question that
 * is confidently about another intent than the primary one.
 */
export function subIntentsOf(
  model: LinearModel,
  text: string,
  primary: Prediction,
  opts: SubIntentOptions = DEFAULT_SUB_INTENTS,
): Intent[] {
  const clauses = splitClauses(text);
  if (clauses.length < 2) return [];
  const questions = clauses.filter((c) => c.question).length;
  const found = new Map<Intent, number>();
  for (const clause of clauses) {
    const threshold = clause.additional
      ? opts.additionalThreshold
      : clause.question && questions >= 2
        ? opts.questionThreshold
        : Infinity;
    if (threshold === Infinity) continue;
    const p = predictText(model, clause.text);
    if (p.probability < threshold || p.intent === primary.intent) continue;
    if (NOT_A_SUB_INTENT.includes(p.intent)) continue;
    found.set(p.intent, Math.max(found.get(p.intent) ?? 0, p.probability));
  }
  return [...found.entries()].sort((a, b) => b[1] - a[1]).map(([intent]) => intent);
}

/** Below this, a message in several paragraphs is also read paragraph by paragraph. */
const UNSURE_BELOW = 0.6;

/**
 * A message in paragraphs can be unsure as a whole and clear in one part: messages a customer
 * sent in a row, answered as one ("I have a question about my parcel." + "#W2611340, where is
 * it?"), or a mail with a vague opening. When the whole is unsure (and not a complaint), the
 * surest paragraph that asks for something concrete speaks for it, if it is surer than the whole.
 */
function predictByParagraph(model: LinearModel, text: string): Prediction {
  const whole = predictText(model, text);
  // A complaint stays one: it decides escalations (a complaint about a high-value order goes to a
  // person) that a clear request in one paragraph must not talk the bot out of.
  if (whole.probability >= UNSURE_BELOW || whole.intent === 'complaint') return whole;
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  if (paragraphs.length < 2) return whole;
  let best = whole;
  for (const paragraph of paragraphs) {
    const p = predictText(model, paragraph);
    if (p.probability > best.probability && !NOT_A_SUB_INTENT.includes(p.intent)) best = p;
  }
  return best;
}

export function classifyIntent(
  model: LinearModel,
  text: string,
  opts: SubIntentOptions = DEFAULT_SUB_INTENTS,
): IntentResult {
  const primary = predictByParagraph(model, text);
  return {
    intent: primary.intent,
    confidence: Math.round(primary.probability * 10000) / 10000,
    scores: primary.scores,
    subIntents: subIntentsOf(model, text, primary, opts),
  };
}
