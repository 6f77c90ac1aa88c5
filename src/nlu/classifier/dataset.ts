import { readFileSync } from 'node:fs';
import { isIntent, type Intent } from '../../domain/intents.js';
import { fnv1a } from './features.js';

/** One labelled training/evaluation message, whatever file it came from. */
export type LabelledRow = {
  id: string;
  text: string;
  intent: Intent;
  /** Other acceptable labels (Bitext's ambiguous rows). */
  altIntents: Intent[];
  /** Secondary requests in the same message (our multi-request examples). */
  subIntents: Intent[];
  source: 'bitext' | 'examples';
  /** Bitext mapping quality: clean | ambiguous | out_of_scope; 'examples' for ours. */
  mapping: string;
};

export const DEFAULT_BITEXT_PATH = '../shared/data/bitext/dev.jsonl';
export const DEFAULT_EXAMPLES_PATH = 'data/nlu/examples.jsonl';

export function readJsonl(path: string): Record<string, unknown>[] {
  const text = readFileSync(path, 'utf8');
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`${path}:${i + 1}: not valid JSON`);
      }
    });
}

function intents(value: unknown): Intent[] {
  return Array.isArray(value) ? value.filter(isIntent) : [];
}

export function loadBitext(path: string, mappings: readonly string[]): LabelledRow[] {
  return readJsonl(path).flatMap((r): LabelledRow[] => {
    const mapping = String(r.mapping ?? '');
    if (!mappings.includes(mapping) || !isIntent(r.our_intent) || typeof r.text !== 'string') {
      return [];
    }
    return [
      {
        id: String(r.id ?? r.text),
        text: r.text,
        intent: r.our_intent,
        altIntents: intents(r.alt_intents),
        subIntents: [],
        source: 'bitext',
        mapping,
      },
    ];
  });
}

export function loadExamples(path: string): LabelledRow[] {
  return readJsonl(path).flatMap((r, i): LabelledRow[] => {
    if (!isIntent(r.intent) || typeof r.text !== 'string') {
      throw new Error(`${path}:${i + 1}: needs "text" and a known "intent"`);
    }
    return [
      {
        id: String(r.id ?? `ex-${i}`),
        text: r.text,
        intent: r.intent,
        altIntents: intents(r.alt_intents),
        subIntents: intents(r.sub_intents),
        source: 'examples',
        mapping: 'examples',
      },
    ];
  });
}

/** Normalised text: duplicates and near-duplicates (case, spacing) land on the same side. */
export function splitKey(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Deterministic hold-out split by a hash of the normalised text, not of the id, so that the
 * same sentence appearing twice in Bitext cannot be both trained on and evaluated.
 */
export function isHeldOut(text: string, heldOutPercent: number, salt = 'holdout-v1'): boolean {
  return fnv1a(`${salt}|${splitKey(text)}`) % 100 < heldOutPercent;
}

/** Identity of a text for "was this trained on?" checks (same normalisation as the split). */
export function textHash(text: string): number {
  return fnv1a(`text|${splitKey(text)}`);
}

/** Fold index in [0, k) for k-fold cross-validation, by the same kind of text hash. */
export function foldOf(text: string, k: number, salt = 'cv-v1'): number {
  return fnv1a(`${salt}|${splitKey(text)}`) % k;
}
