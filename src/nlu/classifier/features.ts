/**
 * Text → sparse hashed feature vector: word unigrams, word bigrams and character 3–5-grams
 * (which absorb typos like "ordedr" and glued words like "theorder"). Numbers, emails, money and
 * order numbers are replaced by placeholder words first, so the model learns "order <num>" and
 * not the handful of order numbers that happen to be in the training data.
 */

export type FeatureConfig = {
  /** Number of hash buckets; a power of two. */
  dims: number;
  charMin: number;
  charMax: number;
  /** Relative weight (squared norm) of each feature group in the final vector. */
  groupWeights: { unigram: number; bigram: number; chars: number };
};

export const DEFAULT_FEATURES: FeatureConfig = {
  dims: 1 << 18,
  charMin: 3,
  charMax: 5,
  groupWeights: { unigram: 1, bigram: 1, chars: 0.5 },
};

export type SparseVector = { indices: Int32Array; values: Float32Array };

export function normalizeForFeatures(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[’‘`´]/g, "'")
    .replace(/\S+@\S+\.\w+/g, ' zzemail ')
    .replace(/https?:\/\/\S+|www\.\S+/g, ' zzurl ')
    .replace(/#?\bw\d{7}\b/g, ' zzorder ')
    .replace(/\b1z[0-9a-z]{16}\b/g, ' zztrack ')
    .replace(/[$€£]\s?\d[\d,.]*|\d[\d,.]*\s?(dollars?|euros?|usd|eur|bucks|€|\$)/g, ' zzmoney ')
    .replace(/#?\d+/g, ' zznum ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function tokensOf(normalized: string): string[] {
  return normalized.match(/\p{L}+(?:'\p{L}+)?|[?!]/gu) ?? [];
}

/** 32-bit FNV-1a; fast, stable across runs and platforms (the model file depends on it). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// FNV-1a state after hashing the "c|" prefix of character n-gram keys.
const CHAR_PREFIX_STATE = Math.imul(Math.imul(FNV_OFFSET ^ 0x63, FNV_PRIME) ^ 0x7c, FNV_PRIME);

/**
 * Hashes of `c|<n-gram>` for every n-gram of `joined`, computed incrementally from each start
 * position (no substring allocation); identical to `fnv1a('c|' + gram)`.
 */
function charGramHashes(joined: string, min: number, max: number): number[] {
  const out: number[] = [];
  for (let i = 0; i + min <= joined.length; i++) {
    let h = CHAR_PREFIX_STATE;
    for (let n = 1; n <= max && i + n <= joined.length; n++) {
      h = Math.imul(h ^ joined.charCodeAt(i + n - 1), FNV_PRIME);
      if (n >= min) out.push(h >>> 0);
    }
  }
  return out;
}

/**
 * Scratch buffers reused across calls (one set per bucket count): a generation stamp per bucket
 * replaces per-call Sets and Maps, which keeps garbage collection out of the hot path.
 */
type Scratch = { seen: Uint32Array; value: Float64Array; generation: number; touched: number[] };
const scratchByDims = new Map<number, Scratch>();

function scratchFor(dims: number): Scratch {
  let s = scratchByDims.get(dims);
  if (!s) {
    s = { seen: new Uint32Array(dims), value: new Float64Array(dims), generation: 0, touched: [] };
    scratchByDims.set(dims, s);
  }
  return s;
}

/** Adds one feature group at presence value `sqrt(weight / distinct buckets)` per bucket. */
function addGroup(s: Scratch, hashes: number[], weight: number, mask: number): void {
  if (hashes.length === 0 || weight <= 0) return;
  // Presence, not counts: repeated words in long emails should not dominate.
  if (s.generation >= 0xfffffffe) {
    s.seen.fill(0);
    s.generation = 0;
  }
  const generation = ++s.generation;
  const buckets: number[] = [];
  for (const h of hashes) {
    const idx = h & mask;
    if (s.seen[idx] === generation) continue;
    s.seen[idx] = generation;
    buckets.push(idx);
  }
  const scale = Math.sqrt(weight / buckets.length);
  for (const idx of buckets) {
    if (s.value[idx] === 0) s.touched.push(idx);
    s.value[idx] = (s.value[idx] ?? 0) + scale;
  }
}

export function featurize(text: string, cfg: FeatureConfig = DEFAULT_FEATURES): SparseVector {
  const mask = cfg.dims - 1;
  const tokens = tokensOf(normalizeForFeatures(text));
  const words = tokens.filter((t) => t !== '?' && t !== '!');
  const unigrams = tokens.map((t) => fnv1a(`u|${t}`));
  const padded = ['<s>', ...tokens, '</s>'];
  const bigrams: number[] = [];
  for (let i = 0; i + 1 < padded.length; i++) {
    bigrams.push(fnv1a(`b|${padded[i]} ${padded[i + 1]}`));
  }
  const chars = charGramHashes(` ${words.join(' ')} `, cfg.charMin, cfg.charMax);

  const s = scratchFor(cfg.dims);
  addGroup(s, unigrams, cfg.groupWeights.unigram, mask);
  addGroup(s, bigrams, cfg.groupWeights.bigram, mask);
  addGroup(s, chars, cfg.groupWeights.chars, mask);
  const indices = Int32Array.from(s.touched);
  const values = new Float32Array(indices.length);
  indices.forEach((idx, i) => {
    values[i] = s.value[idx] ?? 0;
    s.value[idx] = 0;
  });
  s.touched.length = 0;
  return { indices, values };
}
