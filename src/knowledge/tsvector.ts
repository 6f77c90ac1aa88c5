/** One lexeme of a tsvector with its positions' weights (A heading … D body text). */
export type LexemeEntry = { lexeme: string; weights: ('A' | 'B' | 'C' | 'D')[]; positions: number[] };

/**
 * Parses Postgres' text form of a tsvector (`'cancel':1A,7 'order':3A,5 'pend'`). A lexeme
 * without positions (a stripped vector) counts once, as body text.
 */
export function parseTsvector(text: string): LexemeEntry[] {
  const out: LexemeEntry[] = [];
  const re = /'((?:[^']|'')*)'(?::([0-9A-D,]+))?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const lexeme = m[1]!.replace(/''/g, "'").replace(/\\(.)/g, '$1');
    const weights: LexemeEntry['weights'] = [];
    const positions: number[] = [];
    for (const p of (m[2] ?? '').split(',').filter(Boolean)) {
      const w = /[ABCD]$/.exec(p)?.[0] as LexemeEntry['weights'][number] | undefined;
      weights.push(w ?? 'D');
      positions.push(parseInt(p, 10));
    }
    if (weights.length === 0) weights.push('D');
    out.push({ lexeme, weights, positions });
  }
  return out;
}

/** A lexeme as a tsquery operand: quoted so punctuation inside it is not parsed as operators. */
export function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
