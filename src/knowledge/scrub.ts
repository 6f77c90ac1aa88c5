/**
 * Removes what identifies a customer from text that may become shared knowledge (learned FAQ
 * candidates): emails, phone numbers, order and tracking numbers, card numbers, URLs with
 * query strings, and the greeting/sign-off lines that carry names. A human reviews every
 * candidate before it is used; this keeps the review queue itself free of PII.
 */
export function scrubPii(text: string): string {
  let s = text.replace(/\r\n?/g, '\n');
  s = s.replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '[email]');
  s = s.replace(/https?:\/\/\S+\?\S+/g, '[link]');
  s = s.replace(/\b(?:\d[ -]?){13,19}\b/g, '[card]');
  s = s.replace(/#\s?[A-Z]{0,3}\d{4,}\b/g, '[order number]');
  s = s.replace(/\border\s+(?:number\s+|no\.?\s*|id\s+)?([A-Z]{0,3}\d{4,})\b/gi, 'order [order number]');
  s = s.replace(/\b(?:1Z[0-9A-Z]{16}|[A-Z]{2}\d{9}[A-Z]{2}|\d{12,22})\b/g, '[tracking number]');
  s = s.replace(/(?:\+\d{1,3}[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b/g, '[phone]');
  const lines = s.split('\n');
  // Greeting ("Hi Jane,") and sign-off ("Best, Tom") lines name people; drop them.
  while (lines.length && (/^\s*(hi|hello|hey|dear|good (morning|afternoon|evening))\b[^.!?\n]{0,40}[,!]?\s*$/i.test(lines[0]!) || !lines[0]!.trim())) lines.shift();
  const signOff = lines.findIndex((l) => /^\s*(best|regards|kind regards|thanks|thank you|cheers|sincerely)[,!.]?\s*$/i.test(l));
  if (signOff > 0) lines.splice(signOff);
  // "Hi Jane, do you…": the greeting (and the name in it) before the first sentence.
  const body = lines.join('\n').replace(/^\s*(?:hi|hello|hey|dear)\b[^,.!?\n]{0,30}[,!]\s*/i, '');
  return body.replace(/\n{3,}/g, '\n\n').trim();
}
