/**
 * Splits a message into the requests it makes: sentences, then clauses joined by "and also",
 * "plus", "also", or "and" followed by a new question/request ("…and where is #W2?"). Used for
 * sub-intents only; the primary intent is classified on the whole message.
 */

export type Clause = {
  text: string;
  /** Introduced as an additional request ("also…", "and can you…", "2.") rather than context. */
  additional: boolean;
  question: boolean;
};

const SENTENCE_BREAK = /(?<=[.!?])\s+|\n+/;
const CONNECTOR =
  /\s*,?\s*\b(?:and also|and then also|and additionally|also,?|plus,?|additionally,?|another thing,?|on top of that,?|et aussi|y también|und außerdem|und auch|and (?=(?:can|could|would|will|please|where|when|what|how|why|is|are|do|does|did|i|i'd|i'm|i’d|i’m|my|also)\b))\s*/i;
const ADDITIONAL_START =
  /^(also|and|plus|additionally|another thing|one more thing|oh and|p\.?s\.?|second(ly)?|then|finally|[2-9][.)]|et|aussi|y|también|und|außerdem|zudem)\b/i;

const MIN_WORDS = 3;

export function splitClauses(text: string): Clause[] {
  const clauses: Clause[] = [];
  for (const sentence of text.split(SENTENCE_BREAK)) {
    sentence.split(CONNECTOR).forEach((part, i) => {
      const clause = part.trim();
      if ((clause.match(/\p{L}+/gu) ?? []).length < MIN_WORDS) return;
      clauses.push({
        text: clause,
        additional: i > 0 || ADDITIONAL_START.test(clause),
        question: clause.includes('?'),
      });
    });
  }
  return clauses;
}
