import { createHash } from 'node:crypto';

export type Chunk = { ordinal: number; heading: string | null; headingPath: string; content: string; contentHash: string };

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Splits Markdown by headings, then long sections by paragraphs (~maxChars each, with one
 * paragraph of overlap so a rule cut at a boundary is still whole in one chunk).
 */
export function chunkMarkdown(title: string, markdown: string, maxChars = 900): Chunk[] {
  const sections: { heading: string | null; path: string[]; body: string[] }[] = [];
  const stack: { level: number; text: string }[] = [];
  let current: { heading: string | null; path: string[]; body: string[] } = { heading: null, path: [], body: [] };
  sections.push(current);
  for (const line of markdown.split(/\r?\n/)) {
    const m = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (m) {
      const level = m[1]!.length;
      while (stack.length && stack[stack.length - 1]!.level >= level) stack.pop();
      stack.push({ level, text: m[2]! });
      current = { heading: m[2]!, path: stack.map((s) => s.text), body: [] };
      sections.push(current);
    } else {
      current.body.push(line);
    }
  }
  const chunks: Chunk[] = [];
  for (const s of sections) {
    const paragraphs = s.body.join('\n').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
    if (paragraphs.length === 0) continue;
    const headingPath = [title, ...s.path].join(' > ');
    let buf: string[] = [];
    const flush = () => {
      if (buf.length === 0) return;
      const content = buf.join('\n\n');
      chunks.push({ ordinal: chunks.length, heading: s.heading, headingPath, content, contentHash: hash(content) });
    };
    for (const p of paragraphs) {
      if (buf.length > 0 && buf.join('\n\n').length + p.length > maxChars) {
        flush();
        buf = [buf[buf.length - 1]!]; // overlap: carry the last paragraph into the next chunk
      }
      buf.push(p);
    }
    flush();
  }
  return chunks;
}

export function contentHash(text: string): string {
  return hash(text);
}
