import type { Entities } from './types.js';
import { extractOrderNumbers } from './order-numbers.js';
import { findTrackingNumbers } from './tracking-numbers.js';

export { extractOrderNumbers } from './order-numbers.js';
export { extractTrackingNumbers } from './tracking-numbers.js';

// Local part allows plus addressing and dots; the domain needs a dot and a 2+ letter TLD.
const EMAIL = /[a-z0-9](?:[a-z0-9._%+-]{0,62}[a-z0-9])?@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,24}/gi;

export function extractEmails(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(EMAIL)) {
    const email = m[0].toLowerCase();
    if (!found.includes(email)) found.push(email);
  }
  return found;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Catalogue names mentioned in the text, case-insensitively; when names overlap ("Smart Watch"
 * inside "Smart Watch Band"), the longest wins. Returned in the catalogue's spelling.
 */
export function extractProducts(text: string, productNames: readonly string[]): string[] {
  const matchers = productMatchers(productNames);
  if (matchers.length === 0) return [];
  const lower = text.toLowerCase();
  const taken: { start: number; end: number; name: string }[] = [];
  for (const { name, re } of matchers) {
    for (const m of lower.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some((t) => start < t.end && t.start < end)) continue;
      taken.push({ start, end, name });
    }
  }
  const ordered = taken.sort((a, b) => a.start - b.start).map((t) => t.name);
  return [...new Set(ordered)];
}

type ProductMatcher = { name: string; re: RegExp };
/**
 * Compiled once per catalogue list: the pipeline hands the same cached list to every message
 * (see pipeline/factory.ts), and compiling 50 Unicode patterns per message was most of the cost.
 */
const matcherCache = new WeakMap<readonly string[], ProductMatcher[]>();

function productMatchers(productNames: readonly string[]): ProductMatcher[] {
  const hit = matcherCache.get(productNames);
  if (hit) return hit;
  // Longest first, so a longer name claims its span before a name inside it.
  const names = [...new Set(productNames.map((n) => n.trim()).filter((n) => n !== ''))].sort((a, b) => b.length - a.length);
  const matchers = names.map((name) => {
    // Allow a plural "s" and treat hyphens/spaces alike ("t shirt" = "T-Shirt").
    const pattern = escapeRegExp(name.toLowerCase()).replace(/[-\s]+/g, '[\\s-]?');
    return { name, re: new RegExp(`(?<![\\p{L}\\p{N}])${pattern}(?:e?s)?(?![\\p{L}\\p{N}])`, 'gu') };
  });
  matcherCache.set(productNames, matchers);
  return matchers;
}

/**
 * All entities of a message. `fallbackText` (quoted history) is searched for order and
 * tracking numbers only when the new text has none: "any news?" above a quoted order
 * confirmation still refers to that order. Emails come from the new text only, since quoted
 * headers carry the shop's own addresses.
 */
export function extractEntities(
  text: string,
  opts: { productNames?: readonly string[]; fallbackText?: string } = {},
): Entities {
  let tracking = findTrackingNumbers(text);
  let orderNumbers = extractOrderNumbers(text, tracking);
  const fallback = opts.fallbackText ?? '';
  if (orderNumbers.length === 0 && tracking.length === 0 && fallback !== '') {
    tracking = findTrackingNumbers(fallback);
    orderNumbers = extractOrderNumbers(fallback, tracking);
  }
  return {
    orderNumbers,
    emails: extractEmails(text),
    trackingNumbers: tracking.map(({ number, carrier }) => ({ number, carrier })),
    products: extractProducts(text, opts.productNames ?? []),
  };
}
