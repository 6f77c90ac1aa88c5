import type { Passage } from '../knowledge/retrieve.js';

const STOP = new Set(
  'about after again also an and any are as at be been but by can could did do does for from get got had has have how i if in into is it its just me my no not of on or our please so than that the their them then there these they this to too up us was we were what when where which while who why will with would you your yours hi hello thanks thank'.split(' '),
);

/** Content words, crudely stemmed (plural and -ing/-ed endings), so "returns" meets "return". */
export function contentWords(text: string): Set<string> {
  const words = text.toLowerCase().match(/[a-z]{3,}/g) ?? [];
  return new Set(words.filter((w) => !STOP.has(w)).map((w) => w.replace(/(ing|ed|es|s)$/, '')));
}

/**
 * A store's policy passages come back for ticket after ticket, and each run asks twice (decide and
 * respond): their words are worked out once per text. Bounded; emptied when full.
 */
const passageWords = new Map<string, Set<string>>();
const PASSAGE_WORDS_MAX = 2000;

function wordsOfPassage(p: Passage): Set<string> {
  const text = `${p.heading ?? ''} ${p.content}`;
  let words = passageWords.get(text);
  if (!words) {
    if (passageWords.size >= PASSAGE_WORDS_MAX) passageWords.clear();
    words = contentWords(text);
    passageWords.set(text, words);
  }
  return words;
}

/**
 * Passages that share enough words with the question to be an answer: full-text search ranks
 * whatever it has, so "do you ship to Canada?" would otherwise be answered with an unrelated rule.
 */
export function relevantPassages(passages: Passage[], question: string): Passage[] {
  const q = contentWords(question);
  if (q.size === 0) return [];
  const need = q.size >= 4 ? 2 : 1;
  return passages.filter((p) => {
    const words = wordsOfPassage(p);
    let shared = 0;
    for (const w of q) if (words.has(w)) shared++;
    return shared >= need;
  });
}
