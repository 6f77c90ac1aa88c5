import { createHash } from 'node:crypto';

export type Chunk = {
  ordinal: number;
  /** The nearest heading above the text (null before the first heading). */
  heading: string | null;
  /** "Title > Section > Subsection". */
  headingPath: string;
  /** Headings between the title and the nearest one ("Section" above "Subsection"). */
  parents: string[];
  content: string;
  contentHash: string;
};

export type ChunkOptions = {
  /** Soft size limit of one chunk, in characters. @defaultValue 900 */
  maxChars?: number;
  /** Plain text has no Markdown headings: a line starting with "#" is just text. */
  headings?: boolean;
};

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

export function contentHash(text: string): string {
  return hash(text);
}

type Section = { heading: string | null; path: string[]; body: string[] };

/**
 * Splits Markdown by headings (ATX `## x` and setext `x\n---`), then long sections by
 * paragraphs (~maxChars each, with one paragraph of overlap so a rule cut at a boundary is
 * still whole in one chunk). Paragraphs longer than maxChars are cut at sentence ends.
 * Identical chunks (same text under the same heading) are kept once.
 */
export function chunkMarkdown(title: string, markdown: string, opts: ChunkOptions | number = {}): Chunk[] {
  const { maxChars = 900, headings = true } = typeof opts === 'number' ? { maxChars: opts } : opts;
  const sections = headings ? splitSections(markdown) : [{ heading: null, path: [], body: markdown.split(/\r?\n/) }];
  const chunks: Chunk[] = [];
  const seen = new Set<string>();
  for (const s of sections) {
    const paragraphs = s.body
      .join('\n')
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean)
      .flatMap((p) => splitLong(p, maxChars));
    if (paragraphs.length === 0) continue;
    const headingPath = [title, ...s.path].join(' > ');
    const parents = s.path.slice(0, -1);
    let buf: string[] = [];
    const flush = () => {
      if (buf.length === 0) return;
      const content = buf.join('\n\n');
      const h = hash(`${s.heading ?? ''}\n${content}`);
      if (seen.has(h)) return;
      seen.add(h);
      chunks.push({ ordinal: chunks.length, heading: s.heading, headingPath, parents, content, contentHash: hash(content) });
    };
    for (const p of paragraphs) {
      if (buf.length > 0 && buf.join('\n\n').length + p.length > maxChars) {
        flush();
        const last = buf[buf.length - 1]!;
        // Overlap: carry the last paragraph over, unless it alone would overflow the next chunk.
        buf = last.length + p.length <= maxChars ? [last] : [];
      }
      buf.push(p);
    }
    flush();
  }
  return chunks;
}

function splitSections(markdown: string): Section[] {
  const sections: Section[] = [];
  const stack: { level: number; text: string }[] = [];
  let current: Section = { heading: null, path: [], body: [] };
  sections.push(current);
  const open = (level: number, text: string) => {
    while (stack.length && stack[stack.length - 1]!.level >= level) stack.pop();
    stack.push({ level, text });
    current = { heading: text, path: stack.map((s) => s.text), body: [] };
    sections.push(current);
  };
  let fenced = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const atx = fenced ? null : /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (atx && atx[2]) {
      open(atx[1]!.length, cleanHeading(atx[2]));
      continue;
    }
    // Setext: a text line underlined with === (h1) or --- (h2). A lone "---" after a blank
    // line is a thematic break, not a heading.
    const setext = fenced ? null : /^ {0,3}(=+|-+)\s*$/.exec(line);
    const prev = current.body[current.body.length - 1];
    if (setext && prev !== undefined && prev.trim() !== '' && !/^\s*[-*+>|]/.test(prev)) {
      current.body.pop();
      open(setext[1]!.startsWith('=') ? 1 : 2, cleanHeading(prev.trim()));
      continue;
    }
    current.body.push(line);
  }
  return sections;
}

/** "**Returns**" → "Returns": emphasis markers are not part of the heading's words. */
function cleanHeading(text: string): string {
  return text.replace(/[*_`]+/g, '').replace(/\s+/g, ' ').trim();
}

/** Cuts a paragraph longer than max at sentence ends (or, failing that, at spaces). */
function splitLong(p: string, max: number): string[] {
  if (p.length <= max) return [p];
  const sentences = p.match(/[^.!?\n]+(?:[.!?]+|\n|$)\s*/g) ?? [p];
  const out: string[] = [];
  let buf = '';
  for (const s of sentences) {
    if (buf && buf.length + s.length > max) {
      out.push(buf.trim());
      buf = '';
    }
    if (s.length > max) {
      for (let i = 0; i < s.length; i += max) out.push(s.slice(i, i + max).trim());
      continue;
    }
    buf += s;
  }
  if (buf.trim()) out.push(buf.trim());
  return out.filter(Boolean);
}
