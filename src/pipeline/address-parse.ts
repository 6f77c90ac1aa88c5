import type { Address } from '../domain/order.js';

// "123 Main Street, Apt 4, Springfield, IL 62704" (US style, as the demo store's addresses are).
const US_ADDRESS =
  /(?<![\w#])(\d{1,6}\s+[A-Za-z0-9.'\- ]{2,60}?)\s*,\s*(?:((?:apt|apartment|suite|ste|unit|#)\.?\s*[A-Za-z0-9\-]+)\s*,\s*)?([A-Za-z.'\- ]{2,40})\s*,\s*([A-Z]{2})\s+(\d{5})(?:-\d{4})?(?:\s*,\s*(USA|US|United States))?/i;

/** A new shipping address written in the message, or null. Only US-style addresses are recognised. */
export function parseAddress(text: string): Address | null {
  const m = US_ADDRESS.exec(text);
  if (!m) return null;
  return {
    address1: m[1]!.trim(),
    address2: m[2]?.trim() || undefined,
    city: m[3]!.trim(),
    province: m[4]!.toUpperCase(),
    zip: m[5]!,
    country: 'USA',
  };
}
