import type { Carrier, TrackingNumber } from './types.js';
import { carrierOf, nearestKeyword, tokenize } from './entity-tokens.js';
import type { Span } from './order-numbers.js';

/**
 * Parcel tracking numbers. Self-describing formats (UPS `1Z…`, USPS 20–22 digits starting
 * 91–95, UPU `AA123456789US`, DHL `JJD…`) are taken anywhere. Bare digit runs (FedEx 12/15,
 * DHL 10) are only taken with a carrier or "tracking" word nearby and no closer "order" word,
 * so "order 370795561790" stays an order number.
 */

type Found = TrackingNumber & Span;

type Pattern = { re: RegExp; carrier: (m: string) => Carrier };

const PATTERNS: Pattern[] = [
  { re: /\b1Z[0-9A-Z]{16}\b/gi, carrier: () => 'ups' },
  // USPS numbers are often written in groups of four: "9400 1000 0000 0000 0000 00".
  { re: /\b9[1-5](?: ?\d){18,20}\b/g, carrier: () => 'usps' },
  { re: /\b[A-Z]{2}\d{9}[A-Z]{2}\b/gi, carrier: (m) => (/US$/i.test(m) ? 'usps' : 'unknown') },
  { re: /\bJJD\d{8,20}\b/gi, carrier: () => 'dhl' },
];

const LONG_CODE = /^(?=.*\d)[a-z0-9]{8,30}$/i;
const DEMO_ORDER = /^w\d{7}$/i;

function carrierNear(tokens: ReturnType<typeof tokenize>, i: number): Carrier | undefined {
  for (let j = Math.max(0, i - 8); j <= Math.min(tokens.length - 1, i + 4); j++) {
    const tok = tokens[j];
    const carrier = tok ? carrierOf(tok) : undefined;
    if (carrier) return carrier;
  }
  return undefined;
}

function fromContext(digitsOnly: boolean, length: number, carrier: Carrier | undefined): Carrier {
  if (carrier) return carrier;
  // "tracking number 123456789012" without a carrier: 12 and 15 digits are FedEx's formats.
  if (digitsOnly && (length === 12 || length === 15)) return 'fedex';
  return 'unknown';
}

export function findTrackingNumbers(text: string): Found[] {
  const found: Found[] = [];
  const taken = (start: number, end: number) =>
    found.some((f) => start < f.end && f.start < end);

  for (const { re, carrier } of PATTERNS) {
    for (const m of text.matchAll(re)) {
      const number = m[0].replace(/ /g, '').toUpperCase();
      if (taken(m.index, m.index + m[0].length)) continue;
      found.push({ number, carrier: carrier(number), start: m.index, end: m.index + m[0].length });
    }
  }

  const tokens = tokenize(text);
  tokens.forEach((tok, i) => {
    if (!LONG_CODE.test(tok.text) || DEMO_ORDER.test(tok.text) || taken(tok.start, tok.end)) return;
    const keyword = nearestKeyword(tokens, i, 6);
    if (keyword?.kind === 'order' || keyword?.kind === 'not-order') return;
    const carrier = carrierNear(tokens, i);
    if (!carrier && keyword?.kind !== 'tracking') return;
    const digitsOnly = /^\d+$/.test(tok.text);
    found.push({
      number: tok.text.toUpperCase(),
      carrier: fromContext(digitsOnly, tok.text.length, carrier),
      start: tok.start,
      end: tok.end,
    });
  });
  return found.sort((a, b) => a.start - b.start);
}

export function extractTrackingNumbers(text: string): TrackingNumber[] {
  return findTrackingNumbers(text).map(({ number, carrier }) => ({ number, carrier }));
}
