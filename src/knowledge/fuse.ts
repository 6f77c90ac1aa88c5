/** Constant of reciprocal-rank fusion (Cormack et al. 2009): damps the weight of top ranks. */
export const RRF_K = 60;

export type RankedList<T> = { source: 'fts' | 'vector'; items: T[] };

/**
 * Reciprocal-rank fusion: score(d) = Σ 1 / (k + rank_i(d)) over the lists that contain d. Needs
 * no score calibration between full-text and vector rankers. Items are identified by `id`.
 */
export function reciprocalRankFusion<T>(
  lists: RankedList<T>[],
  id: (item: T) => string,
  k = RRF_K,
): { item: T; score: number; sources: ('fts' | 'vector')[] }[] {
  const fused = new Map<string, { item: T; score: number; sources: ('fts' | 'vector')[] }>();
  for (const list of lists) {
    list.items.forEach((item, i) => {
      const key = id(item);
      const entry = fused.get(key) ?? { item, score: 0, sources: [] };
      entry.score += 1 / (k + i + 1);
      if (!entry.sources.includes(list.source)) entry.sources.push(list.source);
      fused.set(key, entry);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
