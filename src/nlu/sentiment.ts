import type { Sentiment } from '../domain/intents.js';
import type { SentimentIntensity } from './types.js';
import {
  ACRONYMS,
  NEGATIVE,
  NEGATORS,
  POSITIVE,
  PROFANITY,
  STRONG,
  STRONG_PHRASES,
} from './sentiment-lexicon.js';
import { foldText, matchSignals, type SignalMatches } from './signals.js';

export type SentimentResult = {
  sentiment: Sentiment;
  intensity: SentimentIntensity;
  /** Why: "shouting", "exclamations", "word:ridiculous", "threat:chargeback", … */
  indicators: string[];
};

/**
 * Lexicon plus rules. Frustration is its own class because support handles it differently from
 * plain negativity: it is scored from shouting, exclamation runs, strong or profane words,
 * threats (leave, chargeback, review, legal) and repeat contact, and wins when it reaches 2.
 */

function shoutingWords(text: string): { shouted: number; words: number } {
  const words = text.match(/\p{L}[\p{L}']*/gu) ?? [];
  const shouted = words.filter(
    (w) => w.length >= 3 && w === w.toUpperCase() && w !== w.toLowerCase() && !ACRONYMS.has(w),
  ).length;
  return { shouted, words: words.length };
}

function lexiconScores(folded: string, indicators: string[]) {
  const tokens = folded.match(/[\p{L}']+/gu) ?? [];
  let positive = 0;
  let negative = 0;
  let strong = 0;
  const inLexicon = (w: string) => POSITIVE.has(w) || NEGATIVE.has(w) || STRONG.has(w);
  tokens.forEach((tok, i) => {
    // A negator up to three words back, unless another sentiment word sits in between
    // ("no problem, thanks": "no" negates "problem", not "thanks").
    let negated = false;
    for (let j = i - 1; j >= Math.max(0, i - 3); j--) {
      const w = tokens[j] ?? '';
      if (NEGATORS.has(w) || w.endsWith("n't")) {
        negated = true;
        break;
      }
      if (inLexicon(w)) break;
    }
    const pos = POSITIVE.get(tok);
    const neg = NEGATIVE.get(tok);
    const str = STRONG.get(tok);
    // "not happy" is negative; "not bad" / "no problem" are neither.
    if (pos !== undefined) {
      if (negated) negative += Math.max(1, pos);
      else positive += pos;
    } else if (neg !== undefined) {
      if (!negated) negative += neg;
    } else if (str !== undefined && !negated) {
      negative += str;
      strong += str;
      indicators.push(`word:${tok}`);
    }
  });
  return { positive, negative, strong };
}

export function analyzeSentiment(
  text: string,
  matches?: SignalMatches,
  /** Set when the conversation itself shows repeat contact (earlier unanswered messages). */
  context: { repeatContact?: boolean } = {},
): SentimentResult {
  const folded = foldText(text);
  const m = matches ?? matchSignals(text);
  const indicators: string[] = [];
  let frustration = 0;
  // Shouting is negative even without a negative word ("WHERE IS MY ORDER").
  let lexNegativeBoost = 0;

  const { shouted, words } = shoutingWords(text);
  if (shouted >= 2 || (shouted >= 1 && words <= 4) || (words >= 3 && shouted / words >= 0.5)) {
    indicators.push('shouting');
    frustration += words >= 3 && shouted / words >= 0.5 ? 2.5 : 1.5;
    lexNegativeBoost += 1;
  }
  const bangs = (text.match(/!/g) ?? []).length;
  if (bangs >= 2 || /[?!]{2,}/.test(text)) {
    indicators.push('exclamations');
    frustration += bangs >= 4 ? 1.5 : 1;
  }

  const lex = lexiconScores(folded, indicators);
  frustration += Math.min(lex.strong / 2, 2);
  let negative = lex.negative + lexNegativeBoost;

  const phrase = STRONG_PHRASES.map((re) => re.exec(folded)?.[0]).find((p) => p !== undefined);
  if (phrase) {
    indicators.push(`phrase:${phrase}`);
    frustration += 2;
    negative += 2;
  }
  const swear = PROFANITY.exec(folded)?.[0];
  if (swear) {
    indicators.push('profanity');
    frustration += 1.5;
    negative += 1;
  }

  const threats: [keyof SignalMatches, string][] = [
    ['threatensToLeave', 'threat:leave'],
    ['threatensChargeback', 'threat:chargeback'],
    ['threatensReview', 'threat:review'],
    ['legalThreat', 'threat:legal'],
  ];
  for (const [key, label] of threats) {
    if (m[key] !== undefined) {
      indicators.push(label);
      frustration += 1.5;
      negative += 1;
    }
  }
  if (m.safetyIssue !== undefined) {
    // Someone got hurt or something burned: never "neutral", whatever the wording.
    indicators.push('safety');
    negative += 2;
  }
  if (m.repeatContact !== undefined || context.repeatContact) {
    indicators.push(`repeat_contact:${m.repeatContact ?? 'conversation'}`);
    frustration += 1.5;
    negative += 1;
  }

  if (frustration >= 2 && negative + frustration >= 3) {
    return { sentiment: 'frustrated', intensity: frustration >= 4.5 ? 5 : 4, indicators };
  }
  if (negative >= 1 && negative > lex.positive) {
    return { sentiment: 'negative', intensity: negative >= 2.5 ? 3 : 2, indicators };
  }
  if (lex.positive >= 1 && lex.positive > negative) {
    return { sentiment: 'positive', intensity: lex.positive >= 3 ? 3 : 2, indicators };
  }
  return { sentiment: 'neutral', intensity: 1, indicators };
}
