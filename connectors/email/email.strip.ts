/**
 * Removes quoted history and signatures from a plain-text reply before it is understood, so the
 * pipeline reads what the customer wrote now, not the thread below it (nor our own earlier reply,
 * whose order numbers would otherwise look like new facts).
 */

/** Lines that start the quoted original in common clients, in several languages. */
const QUOTE_HEADERS: RegExp[] = [
  /^-{2,}\s*(original message|forwarded message|message d'origine)\s*-{2,}/i,
  /^-{2,}\s*(ursprüngliche nachricht|mensaje original)\s*-{2,}/i,
  /^_{10,}\s*$/, // Outlook's rule above "From: … Sent: …"
  /^on\b.{0,200}\bwrote:\s*$/i,
  /^le\b.{0,200}\ba écrit\s*:\s*$/i,
  /^am\b.{0,200}\bschrieb.{0,100}:\s*$/i,
  /^el\b.{0,200}\bescribió\s*:\s*$/i,
  /^il giorno\b.{0,200}\bha scritto\s*:\s*$/i,
  /^op\b.{0,200}\bschreef.{0,100}:\s*$/i,
];

/** Outlook/Apple-style header block of the quoted message: "From: …" then "Sent:/Date:" within 3 lines. */
function isQuotedHeaderBlock(lines: string[], i: number): boolean {
  if (!/^\*?(from|von|de|van|da)\s*:\*?\s/i.test(lines[i]!.trim())) return false;
  const next = lines.slice(i + 1, i + 4).map((l) => l.trim());
  return next.some((l) => /^\*?(sent|date|gesendet|envoyé|enviado|datum|to)\s*:/i.test(l));
}

/** Signature delimiters (RFC 3676 "-- ") and the mobile clients' footers. */
const SIGNATURE_LINES: RegExp[] = [
  /^--\s*$/,
  /^sent from my (iphone|ipad|android|samsung|mobile|galaxy)/i,
  /^get outlook for (ios|android)/i,
  /^envoyé de mon (iphone|ipad)/i,
  /^von meinem (iphone|ipad|smartphone) gesendet/i,
];

/** An "On … wrote:" that a client wrapped over two lines. */
function joinsToQuoteHeader(lines: string[], i: number): boolean {
  const next = lines[i + 1];
  if (next === undefined || !/^on\b/i.test(lines[i]!.trim())) return false;
  return /\bwrote:\s*$/i.test(`${lines[i]!.trim()} ${next.trim()}`);
}

export function stripQuotedText(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (
      QUOTE_HEADERS.some((re) => re.test(line)) ||
      joinsToQuoteHeader(lines, i) ||
      isQuotedHeaderBlock(lines, i) ||
      SIGNATURE_LINES.some((re) => re.test(line))
    ) {
      end = i;
      break;
    }
  }
  // Inline "> quoted" lines are dropped wherever they are; the customer's own lines stay.
  const kept = lines.slice(0, end).filter((l) => !/^\s*>/.test(l));
  const result = kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  // A message that is nothing but a quote (a bare forward) keeps its text rather than becoming empty.
  return result || text.trim();
}
