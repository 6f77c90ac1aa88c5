import { keywordKind, nearestKeyword, tokenize, type Token } from './entity-tokens.js';

/**
 * Order numbers as customers write them:
 *  - the demo store's `#W1234567` / `W1234567` (normalised to `#W1234567`), anywhere;
 *  - `#1234` anywhere, unless it belongs to an invoice, ticket, apartment, item…;
 *  - digits (3–20) or an alphanumeric code shortly after "order"/"purchase" and their typos or
 *    translations ("order no. 1234", "purchase 00123842", "ordedr 3707955617", "commande 1234").
 * Numeric order numbers are returned as bare digits, leading zeros kept.
 */

const W_FORMAT = /^w\d{7}$/i;
// "order113542617735902": keyword and number glued together.
const GLUED = /^(\p{L}{4,})(\d{3,20})$/u;
const DIGITS = /^\d{3,20}$/;
const ALNUM_CODE = /^(?=.*\d)(?=.*[a-z])[a-z0-9]{5,20}$/i;
const MONEY_BEFORE = /[$€£¥]\s*$/;
const UNIT_AFTER =
  /^(dollars?|euros?|usd|eur|gbp|pounds?|bucks|items?|pieces?|pcs|units?|days?|hours?|weeks?|times?|x|percent|%|mm|cm|kg|lbs?)$/i;

export type Span = { start: number; end: number };

// Words allowed between "order" and its number: "order no. 1234", "order number is 1234",
// "Bestellung Nr. 1234", "pedido número 1234". Anything else ("order, should be 80218") breaks it.
const FILLERS = new Set(
  (
    'number no nr num n nº numero número nummer núm nro id ref reference is was its it s code ' +
    'confirmation my the # . est es ist de du del le la el mi ma mon meine meiner'
  ).split(' '),
);

function onlyFillersBetween(tokens: Token[], from: number, to: number): boolean {
  for (let j = from + 1; j < to; j++) {
    if (!FILLERS.has(tokens[j]?.lower ?? '')) return false;
  }
  return true;
}

function overlaps(span: Span, claimed: readonly Span[]): boolean {
  return claimed.some((c) => span.start < c.end && c.start < span.end);
}

function looksLikeMoneyOrQuantity(text: string, tokens: Token[], i: number): boolean {
  const tok = tokens[i];
  if (!tok) return true;
  const before = text.slice(Math.max(0, tok.start - 3), tok.start);
  if (MONEY_BEFORE.test(before)) return true;
  // "1,499" or "160.00": part of a larger figure.
  if (/\d[.,]$/.test(before) || /^[.,]\d/.test(text.slice(tok.end, tok.end + 2))) return true;
  const next = tokens[i + 1];
  return next !== undefined && UNIT_AFTER.test(next.lower) && next.start - tok.end <= 2;
}

/** Extracts order numbers, skipping spans already claimed (e.g. by tracking numbers). */
export function extractOrderNumbers(text: string, claimed: readonly Span[] = []): string[] {
  const tokens = tokenize(text);
  const found: string[] = [];
  const add = (value: string) => {
    if (!found.includes(value)) found.push(value);
  };

  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (!tok || overlaps(tok, claimed)) continue;
    if (W_FORMAT.test(tok.text)) {
      add(`#W${tok.text.slice(1)}`);
      continue;
    }
    const glued = GLUED.exec(tok.text);
    const gluedWord = glued?.[1]?.toLowerCase();
    if (gluedWord && glued?.[2] && keywordKind({ ...tok, lower: gluedWord }) === 'order') {
      add(glued[2]);
      continue;
    }
    const hashed = text[tok.start - 1] === '#' || /#\s$/.test(text.slice(tok.start - 2, tok.start));
    const isDigits = DIGITS.test(tok.text);
    if (!isDigits && !ALNUM_CODE.test(tok.text)) continue;
    if (isDigits && looksLikeMoneyOrQuantity(text, tokens, i)) continue;

    const keyword = nearestKeyword(tokens, i, 4);
    if (keyword?.kind === 'order' && onlyFillersBetween(tokens, keyword.index, i)) {
      add(isDigits ? tok.text : tok.text.toUpperCase());
    } else if (isDigits && hashed && keyword === undefined) {
      add(tok.text);
    } else if (isDigits && hashed && keyword?.kind === 'carrier') {
      // "#1234 via UPS": a carrier name a few words back does not make it a parcel number.
      add(tok.text);
    }
  }
  return found;
}
