/**
 * Typo-tolerant keyword matching. Customers (and Bitext's generator) write "ordedr", "purhase",
 * "theorder" or "cancelingpurchase"; the keyword still tells us that the next number is an order.
 */

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), capped. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      }
      cur.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > cap) return cap + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] ?? cap + 1;
}

/**
 * True when `token` is `keyword` give or take typos, or is glued to it ("theorder",
 * "ispurchase", "ordered"). Allowed distance grows with the keyword's length.
 */
export function fuzzyKeyword(token: string, keyword: string): boolean {
  const t = token.toLowerCase();
  if (t === keyword) return true;
  if (t.length > keyword.length && (t.endsWith(keyword) || t.startsWith(keyword))) return true;
  const allowed = keyword.length <= 4 ? 0 : keyword.length <= 6 ? 1 : 2;
  return allowed > 0 && editDistance(t, keyword, allowed) <= allowed;
}
