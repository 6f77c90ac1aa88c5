/** Address comparison shared by the connectors and the action executor (reconciliation). */
import type { Address } from '../domain/order.js';

const COUNTRY_CODES: Record<string, string> = {
  USA: 'US',
  'UNITED STATES': 'US',
  'UNITED STATES OF AMERICA': 'US',
  CANADA: 'CA',
  'UNITED KINGDOM': 'GB',
  UK: 'GB',
  FRANCE: 'FR',
  GERMANY: 'DE',
  AUSTRALIA: 'AU',
};

/** ISO 3166 alpha-2 code for a code or a common country name; undefined when unknown. */
export function countryCode(country: string): string | undefined {
  const raw = country.trim();
  if (/^[A-Za-z]{2}$/.test(raw)) return raw.toUpperCase();
  return COUNTRY_CODES[raw.toUpperCase()];
}

/** Same delivery address (case/space-insensitive on the fields that route a parcel). */
export function sameAddress(a: Address | null | undefined, b: Address | null | undefined): boolean {
  if (!a || !b) return false;
  const norm = (s: string | undefined) => (s ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
  const country = (s: string) => countryCode(s) ?? s.trim().toUpperCase();
  return (
    norm(a.address1) === norm(b.address1) &&
    norm(a.address2) === norm(b.address2) &&
    norm(a.city) === norm(b.city) &&
    norm(a.zip) === norm(b.zip) &&
    country(a.country) === country(b.country)
  );
}
