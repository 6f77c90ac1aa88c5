/**
 * Order numbers as customers type them ("1001", "#1001", "w2611340") → the forms a store may use
 * ("#1001", "1001", "#W2611340"). Only characters that appear in order names are kept, so a
 * customer message can never inject search syntax into a platform query.
 */
export function orderNumberCandidates(input: string): string[] {
  const cleaned = input.trim().replace(/[^A-Za-z0-9#._-]/g, '');
  const bare = cleaned.replace(/^#+/, '');
  if (!bare) return [];
  const upper = bare.toUpperCase();
  return [...new Set([`#${upper}`, upper, `#${bare}`, bare])];
}

/** Case-insensitive match of a stored order name against the candidates. */
export function matchesOrderNumber(name: string, candidates: string[]): boolean {
  const n = name.toUpperCase();
  return candidates.some((c) => c.toUpperCase() === n);
}

/** A plausible e-mail address, lower-cased; null otherwise. */
export function normalizeEmail(email: string | null | undefined): string | null {
  const e = (email ?? '').trim().toLowerCase();
  return /^[^\s@"'\\]+@[^\s@"'\\]+\.[^\s@"'\\]+$/.test(e) ? e : null;
}
