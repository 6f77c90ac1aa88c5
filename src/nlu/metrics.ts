/**
 * Classification metrics shared by `npm run train` (cross-validation) and `npm run eval`.
 *
 * A prediction that is one of the row's acceptable alternatives counts as the gold intent.
 * Macro-F1 averages the intents that occur in the gold labels (support > 0); a wrong prediction
 * into an intent absent from the gold labels is still counted once, as a recall miss of the
 * true intent, and that intent's precision is listed in `per_intent` with support 0.
 */

export type PerIntent = { precision: number; recall: number; f1: number; support: number };

export type ClassificationReport = {
  n: number;
  accuracy: number;
  macro_f1: number;
  per_intent: Record<string, PerIntent>;
  /** confusion[gold][predicted] = count */
  confusion: Record<string, Record<string, number>>;
};

export type Scored = { gold: string; predicted: string; alternatives?: readonly string[] };

const round = (x: number) => Math.round(x * 10000) / 10000;

export function effectivePrediction(row: Scored): string {
  return row.predicted === row.gold || (row.alternatives ?? []).includes(row.predicted)
    ? row.gold
    : row.predicted;
}

export function classificationReport(
  rows: Scored[],
  labelOrder: readonly string[] = [],
): ClassificationReport {
  const confusion: Record<string, Record<string, number>> = {};
  const tp = new Map<string, number>();
  const predCount = new Map<string, number>();
  const support = new Map<string, number>();
  let correct = 0;
  for (const row of rows) {
    const pred = effectivePrediction(row);
    const line = (confusion[row.gold] ??= {});
    line[pred] = (line[pred] ?? 0) + 1;
    support.set(row.gold, (support.get(row.gold) ?? 0) + 1);
    predCount.set(pred, (predCount.get(pred) ?? 0) + 1);
    if (pred === row.gold) {
      correct++;
      tp.set(row.gold, (tp.get(row.gold) ?? 0) + 1);
    }
  }
  const labels = [...new Set([...labelOrder, ...support.keys(), ...predCount.keys()])].filter(
    (l) => support.has(l) || predCount.has(l),
  );
  const perIntent: Record<string, PerIntent> = {};
  const f1s: number[] = [];
  for (const label of labels) {
    const t = tp.get(label) ?? 0;
    const p = predCount.get(label) ?? 0;
    const s = support.get(label) ?? 0;
    const precision = p === 0 ? 0 : t / p;
    const recall = s === 0 ? 0 : t / s;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perIntent[label] = {
      precision: round(precision),
      recall: round(recall),
      f1: round(f1),
      support: s,
    };
    if (s > 0) f1s.push(f1);
  }
  return {
    n: rows.length,
    accuracy: round(rows.length === 0 ? 0 : correct / rows.length),
    macro_f1: round(f1s.length === 0 ? 0 : f1s.reduce((a, b) => a + b, 0) / f1s.length),
    per_intent: perIntent,
    confusion,
  };
}

/** A fixed-width per-intent table for terminals. */
export function formatPerIntent(report: ClassificationReport): string {
  const row = (cells: string[]) =>
    `${(cells[0] ?? '').padEnd(18)}${cells
      .slice(1)
      .map((c) => c.padStart(7))
      .join('')}`;
  const lines = [row(['intent', 'prec', 'recall', 'f1', 'n'])];
  for (const [label, m] of Object.entries(report.per_intent)) {
    const nums = [m.precision, m.recall, m.f1].map((x) => x.toFixed(3));
    lines.push(row([label, ...nums, String(m.support)]));
  }
  const { accuracy, macro_f1: macroF1, n } = report;
  lines.push(`accuracy ${accuracy.toFixed(4)}  macro-F1 ${macroF1.toFixed(4)}  n=${n}`);
  return lines.join('\n');
}

/** Rows = gold intent, columns = predicted (abbreviated to 6 characters). */
export function formatConfusion(report: ClassificationReport): string {
  const labels = Object.keys(report.per_intent);
  const columns = labels.map((l) => l.slice(0, 6).padStart(7)).join('');
  const head = `${'gold \\ pred'.padEnd(18)}${columns}`;
  const rows = labels
    .filter((gold) => report.confusion[gold])
    .map((gold) => {
      const line = report.confusion[gold] ?? {};
      return `${gold.padEnd(18)}${labels.map((p) => String(line[p] ?? 0).padStart(7)).join('')}`;
    });
  return [head, ...rows].join('\n');
}
