import { fuzzyKeyword } from './fuzzy.js';

/** A word, number or sentence-punctuation token with its position in the source text. */
export type Token = { text: string; lower: string; start: number; end: number };

const TOKEN = /[\p{L}\p{N}]+|[#.?!;]/gu;
// An abbreviation dot ("order no. 1234") must not end the look-back like a full stop does.
const ABBREVIATIONS = new Set(['no', 'nr', 'num', 'n', 'ref', 'nº', 'núm', 'nro']);

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const start = m.index;
    tokens.push({ text: m[0], lower: m[0].toLowerCase(), start, end: start + m[0].length });
  }
  return tokens;
}

export function isSentenceBreak(tokens: Token[], i: number): boolean {
  const t = tokens[i];
  if (!t || !/^[.?!;]$/.test(t.text)) return false;
  if (t.text === '.') {
    const prev = tokens[i - 1];
    if (prev && prev.end === t.start && ABBREVIATIONS.has(prev.lower)) return false;
  }
  return true;
}

const ORDER_KEYWORDS = [
  'order',
  'purchase',
  'commande',
  'pedido',
  'bestellung',
  'bestellnummer',
  'auftrag',
  'ordine',
  'encomenda',
];
const TRACKING_KEYWORDS = [
  'tracking',
  'trackingnumber',
  'sendungsnummer',
  'sendungsverfolgung',
  'seguimiento',
  'rastreo',
  'suivi',
  'waybill',
];
const CARRIER_WORDS: Record<string, 'ups' | 'usps' | 'fedex' | 'dhl'> = {
  ups: 'ups',
  usps: 'usps',
  fedex: 'fedex',
  dhl: 'dhl',
};
/** Numbers right after these are documents, addresses or products, not orders. */
const NOT_ORDER_CONTEXT = [
  'invoice',
  'bill',
  'receipt',
  'ticket',
  'case',
  'apt',
  'apartment',
  'suite',
  'unit',
  'room',
  'item',
  'sku',
  'model',
  'statement',
  'phone',
  'tel',
  'zip',
  'postcode',
];

export type KeywordKind = 'order' | 'tracking' | 'carrier' | 'not-order';

export function keywordKind(token: Token): KeywordKind | undefined {
  const w = token.lower;
  if (!/^\p{L}+$/u.test(w)) return undefined;
  if (Object.hasOwn(CARRIER_WORDS, w)) return 'carrier';
  if (w === 'track' || TRACKING_KEYWORDS.some((k) => fuzzyKeyword(w, k))) return 'tracking';
  if (ORDER_KEYWORDS.some((k) => fuzzyKeyword(w, k))) return 'order';
  // "bull #85632", "biull", "invoce": typos of document words are common in Bitext.
  if (NOT_ORDER_CONTEXT.some((k) => w === k || (k.length >= 4 && fuzzyNotOrder(w, k)))) {
    return 'not-order';
  }
  return undefined;
}

function fuzzyNotOrder(word: string, keyword: string): boolean {
  if (word.length < 3) return false;
  if (keyword.length === 4) return fuzzyKeyword(word, keyword) || oneEditAway(word, keyword);
  return fuzzyKeyword(word, keyword);
}

function oneEditAway(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (a.length < b.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

export function carrierOf(token: Token): 'ups' | 'usps' | 'fedex' | 'dhl' | undefined {
  return Object.hasOwn(CARRIER_WORDS, token.lower) ? CARRIER_WORDS[token.lower] : undefined;
}

/**
 * The nearest keyword before token `i` (at most `window` tokens back, not across a sentence
 * end), so "order 123456789012" is an order and "FedEx tracking 123456789012" is a parcel.
 */
export function nearestKeyword(
  tokens: Token[],
  i: number,
  window = 5,
): { kind: KeywordKind; index: number } | undefined {
  for (let j = i - 1; j >= Math.max(0, i - window); j--) {
    if (isSentenceBreak(tokens, j)) return undefined;
    const tok = tokens[j];
    if (!tok) continue;
    const kind = keywordKind(tok);
    if (kind) return { kind, index: j };
  }
  return undefined;
}
