/** USD per 1M tokens (input, output), for cost accounting in traces. Unknown models cost 0. */
const PRICES: Record<string, [number, number]> = {
  'gpt-4o': [2.5, 10],
  'gpt-4o-mini': [0.15, 0.6],
  'gpt-3.5-turbo': [0.5, 1.5],
  'gpt-4.1': [2, 8],
  'gpt-4.1-mini': [0.4, 1.6],
  'text-embedding-3-small': [0.02, 0],
};

export function costUsd(model: string, inputTokens: number, outputTokens: number): number {
  const key = Object.keys(PRICES).find((k) => model === k || model.startsWith(`${k}-`));
  if (!key) return 0;
  const [inp, out] = PRICES[key]!;
  return (inputTokens * inp + outputTokens * out) / 1_000_000;
}
