/** Percentiles and rounding for the bench report. */

/** Nearest-rank percentile of unsorted values (0 when empty). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export const round1 = (n: number) => Math.round(n * 10) / 10;

export function summary(values: readonly number[], ps: readonly number[]): Record<string, number> {
  return Object.fromEntries(ps.map((p) => [`p${p}`, round1(percentile(values, p))]));
}

/** Tracks how many tickets are between "webhook sent" and "reply received", and the peak. */
export class InFlight {
  current = 0;
  peak = 0;
  inc(): void {
    this.current++;
    if (this.current > this.peak) this.peak = this.current;
  }
  dec(): void {
    this.current--;
  }
}
