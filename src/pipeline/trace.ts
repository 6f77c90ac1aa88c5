import type { TraceEntry } from './types.js';

/** Runs a node body and returns its result with one trace entry (latency, output summary). */
export async function traced<T>(
  node: string,
  body: () => Promise<T> | T,
  summarize: (result: T) => unknown,
  extra: (result: T) => Partial<TraceEntry> = () => ({}),
): Promise<{ result: T; entry: TraceEntry }> {
  const started = Date.now();
  const t0 = performance.now();
  const result = await body();
  const entry: TraceEntry = {
    node,
    startedAt: new Date(started).toISOString(),
    latencyMs: Math.round((performance.now() - t0) * 100) / 100,
    output: summarize(result),
    ...extra(result),
  };
  return { result, entry };
}
