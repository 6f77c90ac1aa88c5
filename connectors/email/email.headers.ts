import addressparser from 'nodemailer/lib/addressparser/index.js';
import type { EmailAddress } from './email.types.js';

/** Header helpers shared by the MIME parser and the provider payload decoders. */

const unfold = (value: string) => value.replace(/\r?\n[ \t]+/g, ' ').trim();

/**
 * Name/value pairs → lower-case record. The first occurrence wins: for trace headers such as
 * Return-Path that is the one the receiving server added last.
 */
export function headerRecord(pairs: Iterable<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of pairs) {
    const key = name.trim().toLowerCase();
    if (key && !(key in out)) out[key] = unfold(String(value ?? ''));
  }
  return out;
}

/** mailparser's headerLines (`{key, line: "Name: value"}`) → record. */
export function headersFromLines(lines: readonly { key: string; line: string }[]): Record<string, string> {
  return headerRecord(
    lines.map(({ key, line }) => {
      const colon = line.indexOf(':');
      return [key, colon >= 0 ? line.slice(colon + 1) : ''] as [string, string];
    }),
  );
}

/** A raw header block ("Name: value\r\n continued\r\n…", SendGrid's `headers` field) → record. */
export function parseHeaderBlock(block: string): Record<string, string> {
  const pairs: [string, string][] = [];
  for (const line of block.split(/\r?\n(?![ \t])/)) {
    const colon = line.indexOf(':');
    if (colon > 0) pairs.push([line.slice(0, colon), line.slice(colon + 1)]);
  }
  return headerRecord(pairs);
}

/** "<a@b>", "a@b" or "  <a@b> (comment)" → "<a@b>"; null when there is no id. */
export function normalizeMessageId(value: string | null | undefined): string | null {
  if (!value) return null;
  const bracketed = /<([^<>\s]+)>/.exec(value);
  if (bracketed) return `<${bracketed[1]}>`;
  const bare = value.trim().split(/\s+/)[0];
  return bare && bare.includes('@') ? `<${bare}>` : null;
}

/** A References / In-Reply-To value (or mailparser's string | string[]) → ids, in order, deduplicated. */
export function messageIdList(value: string | string[] | null | undefined): string[] {
  const text = Array.isArray(value) ? value.join(' ') : (value ?? '');
  const ids = [...text.matchAll(/<([^<>\s]+)>/g)].map((m) => `<${m[1]}>`);
  return [...new Set(ids)];
}

/** "Ann <ann@x.com>, bob@y.com" → addresses (lower-cased), groups flattened. */
export function parseAddressList(value: string | null | undefined): EmailAddress[] {
  if (!value) return [];
  return addressparser(value, { flatten: true })
    .filter((a) => a.address && a.address.includes('@'))
    .map((a) => ({ address: a.address.toLowerCase(), name: a.name || null }));
}

/** The bare address of a Return-Path-like value; '' for the null sender "<>". */
export function bareAddress(value: string): string {
  const m = /<([^>]*)>/.exec(value);
  return (m ? m[1]! : value).trim().toLowerCase();
}
