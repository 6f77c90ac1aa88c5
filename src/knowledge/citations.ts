import type { Passage } from './retrieve.js';

export type Citation = { chunkId: string; documentTitle: string; heading: string | null; excerpt: string };

/** What a trace, a draft note and the API show for a passage: where it is, and its opening words. */
export function toCitation(p: Passage, maxExcerpt = 240): Citation {
  return { chunkId: p.chunkId, documentTitle: p.documentTitle, heading: p.heading, excerpt: excerpt(p.content, maxExcerpt) };
}

/** "Sources: Store policy › Cancel pending order; …" — one line for a draft's internal note. */
export function formatCitationLine(passages: Passage[]): string {
  if (passages.length === 0) return '';
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const p of passages) {
    const label = p.heading && p.heading !== p.documentTitle ? `${p.documentTitle} › ${p.heading}` : p.documentTitle;
    if (seen.has(label)) continue;
    seen.add(label);
    parts.push(`${label} [${p.chunkId.slice(0, 8)}]`);
  }
  return `Sources: ${parts.join('; ')}`;
}

function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}
