import { isIntent, type Intent } from '../domain/intents.js';
import { classificationReport, type ClassificationReport, type PerIntent } from './metrics.js';
import type { UnderstandingEngine } from './types.js';

/**
 * Scores an understanding engine on labelled rows. Accepts our row shape
 * (`intent`, `order_number`, `email`, `alt_intents`) and Bitext's dev.jsonl shape
 * (`our_intent`, `our_entities.order_number`).
 */

export type EvalRow = {
  id?: string;
  text: string;
  intent: Intent;
  altIntents: Intent[];
  orderNumbers: string[];
  emails: string[];
  mapping?: string;
};

export type EntityScore = { precision: number; recall: number; tp: number; fp: number; fn: number };

export type EvalReport = {
  n: number;
  intent: { accuracy: number; macro_f1: number; per_intent: Record<string, PerIntent> };
  entities: { order_number: EntityScore; email: EntityScore };
  latency_ms: { p50: number; p95: number };
};

function strings(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() === '' ? [] : [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Undefined when the row has no text or no known intent. */
export function toEvalRow(raw: Record<string, unknown>): EvalRow | undefined {
  const intent = raw.intent ?? raw.our_intent;
  if (typeof raw.text !== 'string' || !isIntent(intent)) return undefined;
  const ourEntities = (raw.our_entities ?? {}) as Record<string, unknown>;
  return {
    ...(typeof raw.id === 'string' ? { id: raw.id } : {}),
    text: raw.text,
    intent,
    altIntents: (Array.isArray(raw.alt_intents) ? raw.alt_intents : []).filter(isIntent),
    orderNumbers: strings(raw.order_number ?? ourEntities.order_number),
    emails: strings(raw.email ?? ourEntities.email),
    ...(typeof raw.mapping === 'string' ? { mapping: raw.mapping } : {}),
  };
}

const normOrder = (s: string) => s.trim().toLowerCase().replace(/^#/, '');
const normEmail = (s: string) => s.trim().toLowerCase();

class EntityCounter {
  tp = 0;
  fp = 0;
  fn = 0;
  add(expected: string[], extracted: string[], norm: (s: string) => string): void {
    const want = new Set(expected.map(norm));
    const got = new Set(extracted.map(norm));
    for (const g of got) if (want.has(g)) this.tp++;
    else this.fp++;
    for (const w of want) if (!got.has(w)) this.fn++;
  }
  score(): EntityScore {
    const r = (x: number) => Math.round(x * 10000) / 10000;
    // Nothing extracted means no false positives; nothing expected means nothing was missed.
    const precision = this.tp + this.fp === 0 ? 1 : this.tp / (this.tp + this.fp);
    const recall = this.tp + this.fn === 0 ? 1 : this.tp / (this.tp + this.fn);
    return { precision: r(precision), recall: r(recall), tp: this.tp, fp: this.fp, fn: this.fn };
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] ?? 0;
}

const WARM_UP_ROWS = 20;

export type EvalResult = { report: EvalReport; classification: ClassificationReport };

export async function evaluateEngine(
  engine: UnderstandingEngine,
  rows: EvalRow[],
  labelOrder: readonly string[] = [],
): Promise<EvalResult> {
  const orders = new EntityCounter();
  const emails = new EntityCounter();
  const latencies: number[] = [];
  const scored: { gold: string; predicted: string; alternatives: Intent[] }[] = [];
  // Untimed warm-up so the percentiles describe steady-state latency, not JIT compilation.
  for (const row of rows.slice(0, WARM_UP_ROWS)) await engine.understand(row.text);
  for (const row of rows) {
    const started = performance.now();
    const u = await engine.understand(row.text);
    latencies.push(performance.now() - started);
    scored.push({ gold: row.intent, predicted: u.intent, alternatives: row.altIntents });
    orders.add(row.orderNumbers, u.entities.orderNumbers, normOrder);
    emails.add(row.emails, u.entities.emails, normEmail);
  }
  const classification = classificationReport(scored, labelOrder);
  latencies.sort((a, b) => a - b);
  const ms = (x: number) => Math.round(x * 1000) / 1000;
  return {
    classification,
    report: {
      n: rows.length,
      intent: {
        accuracy: classification.accuracy,
        macro_f1: classification.macro_f1,
        per_intent: classification.per_intent,
      },
      entities: { order_number: orders.score(), email: emails.score() },
      latency_ms: { p50: ms(percentile(latencies, 50)), p95: ms(percentile(latencies, 95)) },
    },
  };
}
