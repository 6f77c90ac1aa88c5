/**
 * Reduces a customer email to the text the customer actually wrote this time: quoted history
 * (Gmail, Outlook, Apple Mail, `>` quoting), signatures, mobile footers and greeting-only lines
 * go. Shared with the email channel, so it only depends on the raw text.
 */

export type CleanedEmail = {
  /** The new text the customer wrote. */
  text: string;
  /** Everything cut as quoted history (useful as a fallback source of order numbers). */
  quoted: string;
};

// "On Mon, 6 Jan 2025 at 09:14, Acme <support@acme.com> wrote:" and its fr/es/de/it/nl cousins.
const REPLY_HEADER_START = /^\s*(on|le|el|am|il|op)\s/i;
const REPLY_HEADER_END = /(wrote|a écrit|escribió|schrieb|ha scritto|schreef)\s*:?\s*$/i;
// German puts the verb first: "Am Di., 4. März 2025 um 09:12 Uhr schrieb Shop <a@b.de>:".
const REPLY_HEADER_DE = /^\s*am\s.*\sschrieb\s.*:\s*$/i;
const ORIGINAL_MESSAGE =
  /^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|forwarded message|message transféré)\s*-{2,}/i;
const FORWARD_HEADER = /^\s*begin forwarded message:/i;
const OUTLOOK_SEPARATOR = /^\s*_{10,}\s*$/;
const HEADER_FROM = /^\s*\*?(from|von|de|da)\s?\*?\s?:/i;
const HEADER_NEXT = /^\s*\*?(sent|date|to|subject|gesendet|an|betreff|envoyé|à|objet|enviado|para|asunto|inviato)\s?\*?\s?:/i;

const SIGNATURE_DELIMITER = /^--\s?$/;
const MOBILE_FOOTER =
  /^\s*(sent from my|sent from (outlook|yahoo|mail)|get outlook for|envoyé de mon|enviado desde mi|von meinem .* gesendet|inviato da)/i;
const CLOSING =
  /^\s*((best|kind|warm|warmest|many|with)\s+)?(regards|wishes|thanks|thank you|(thanks|thank you) in advance|cheers|sincerely|best|respectfully|yours( truly| sincerely)?|all the best|thx|talk soon|cordialement|bien cordialement|merci( beaucoup| d'avance| par avance)?|bien à vous|à bientôt|bises|saludos( cordiales)?|un saludo|atentamente|(muchas )?gracias( de antemano)?|un abrazo|mit freundlichen grüßen|freundliche grüße|viele grüße|beste grüße|liebe grüße|grüße|gruß|(vielen )?dank( im voraus)?|danke( schön| im voraus)?|lg|mfg)\s*[,.!]*\s*([a-zà-ÿ][\w.'-]*\s*){0,3}$/i;

const GREETING_WORDS =
  '(hi|hello|hey|hiya|dear|good (morning|afternoon|evening)|greetings|bonjour|bonsoir|salut|hola|buenos días|buenas( tardes)?|hallo|guten (tag|morgen|abend)|sehr geehrte[rs]?|liebe[rs]?|ciao|buongiorno)';
// Greeting plus a few name words and closing punctuation ("Dear Customer Service Team,"), or
// greeting plus at most one word without punctuation ("Hi Anna").
const GREETING_ONLY = new RegExp(
  `^\\s*${GREETING_WORDS}\\b((\\s+[\\p{L}\\p{N}_.'/&-]+){0,4}\\s*[,!:.]+|(\\s+[\\p{L}\\p{N}_.'-]+)?)\\s*$`,
  'iu',
);
const GREETING_PREFIX = new RegExp(
  `^\\s*${GREETING_WORDS}( there| team| all| everyone| support| guys| folks)?\\s*([,!.:]|\\s[—–-])\\s+`,
  'i',
);

/** Index of the first line of quoted history, or -1. */
function findQuoteStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (ORIGINAL_MESSAGE.test(line) || FORWARD_HEADER.test(line)) return i;
    if (REPLY_HEADER_START.test(line)) {
      // Gmail wraps long headers, so "wrote:" may end one of the next two lines.
      for (let j = i; j < Math.min(lines.length, i + 3); j++) {
        if (REPLY_HEADER_END.test(lines[j] ?? '')) return i;
      }
    }
    if ((REPLY_HEADER_END.test(line) && /\d|@/.test(line)) || REPLY_HEADER_DE.test(line)) return i;
    if (OUTLOOK_SEPARATOR.test(line) && HEADER_FROM.test(lines[i + 1] ?? '')) return i;
    if (HEADER_FROM.test(line)) {
      const next = lines.slice(i + 1, i + 4);
      if (next.some((l) => HEADER_NEXT.test(l))) return i;
    }
  }
  return -1;
}

/** Index of the line where the signature starts, or lines.length. */
function findSignatureStart(lines: string[]): number {
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (SIGNATURE_DELIMITER.test(line) || MOBILE_FOOTER.test(line)) {
      end = i;
      break;
    }
  }
  // A closing ("Best regards,") followed only by a few short lines (name, title, phone).
  for (let i = end - 1; i >= Math.max(0, end - 8); i--) {
    const line = lines[i] ?? '';
    if (!CLOSING.test(line)) continue;
    const rest = lines.slice(i + 1, end).filter((l) => l.trim() !== '');
    if (rest.length <= 5 && rest.every((l) => l.trim().length <= 60)) return i;
  }
  return end;
}

function stripGreetings(lines: string[]): string[] {
  const out = [...lines];
  while (out.length > 0 && ((out[0] ?? '').trim() === '' || GREETING_ONLY.test(out[0] ?? ''))) {
    out.shift();
  }
  if (out.length > 0) out[0] = (out[0] ?? '').replace(GREETING_PREFIX, '');
  return out;
}

function tidy(lines: string[]): string {
  return lines
    .map((l) => l.replace(/[ \t]+$/g, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Splits an email into the new text and the quoted history. */
export function cleanEmail(raw: string): CleanedEmail {
  const normalised = raw.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ');
  let lines = normalised.split('\n');
  const quoteStart = findQuoteStart(lines);
  const quotedLines = quoteStart >= 0 ? lines.slice(quoteStart) : [];
  if (quoteStart >= 0) lines = lines.slice(0, quoteStart);
  // Inline `>` quoting (interleaved replies) is history too.
  quotedLines.push(...lines.filter((l) => /^\s*>/.test(l)));
  lines = lines.filter((l) => !/^\s*>/.test(l));

  const withoutQuotes = tidy(lines);
  const signatureStart = findSignatureStart(lines);
  const body = tidy(stripGreetings(lines.slice(0, signatureStart)));
  // A message that is only "Thanks!" must not clean down to nothing.
  const text = body !== '' ? body : withoutQuotes !== '' ? withoutQuotes : normalised.trim();
  return { text, quoted: tidy(quotedLines) };
}

/** The new text of a customer message, without quoted history, signature or greeting lines. */
export function cleanText(raw: string): string {
  return cleanEmail(raw).text;
}
