/**
 * HTML → Markdown-ish text for chunking: h1–h6 become `#` headings (so chunks keep their
 * section), list items become `- ` lines, block elements become paragraphs, everything else is
 * reduced to its text. Not a full HTML parser: help-center pages and macro bodies are simple,
 * and the output is only ever indexed and quoted, never rendered.
 */
export function htmlToMarkdown(html: string): string {
  let s = html.replace(/\r\n?/g, '\n');
  // Content that is never text.
  s = s.replace(/<!--[\s\S]*?-->/g, '');
  s = s.replace(/<(script|style|noscript|template|head|svg|iframe)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
  // Whitespace in HTML source is not meaningful; layout comes from the tags below.
  s = s.replace(/<pre\b[^>]*>([\s\S]*?)<\/pre\s*>/gi, (_, body: string) => `\n\n${body.replace(/\n/g, '\u0000')}\n\n`);
  s = s.replace(/[ \t\n]+/g, ' ');
  s = s.replace(/\u0000/g, '\n');
  s = s.replace(/<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi, (_, level: string, inner: string) => {
    const text = inlineText(inner);
    return text ? `\n\n${'#'.repeat(Number(level))} ${text}\n\n` : '\n\n';
  });
  s = s.replace(/<li\b[^>]*>/gi, '\n\n- ');
  s = s.replace(/<br\s*\/?>/gi, '\n');
  s = s.replace(/<\/?(p|div|section|article|header|footer|main|aside|ul|ol|li|table|thead|tbody|tr|blockquote|dl|dt|dd|hr|figure|nav|form)\b[^>]*>/gi, '\n\n');
  s = s.replace(/<\/?(td|th)\b[^>]*>/gi, ' | ');
  s = s.replace(/<[^>]+>/g, '');
  s = decodeEntities(s);
  return s
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function inlineText(html: string): string {
  return decodeEntities(html.replace(/<[^>]+>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  euro: '€',
  pound: '£',
  copy: '©',
  reg: '®',
  trade: '™',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, code: string) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
    }
    return NAMED[code.toLowerCase()] ?? m;
  });
}
