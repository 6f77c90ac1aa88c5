import { describe, expect, it } from 'vitest';
import { chunkMarkdown } from '../../../src/knowledge/chunk.js';
import { chunkDocument } from '../../../src/knowledge/import.js';

describe('chunkMarkdown', () => {
  it('splits by headings and records the nearest heading and the path above it', () => {
    const md = '# Policy\n\nIntro text.\n\n## Returns\n\nReturn within 30 days.\n\n### Damaged items\n\nSend a photo.';
    const chunks = chunkMarkdown('Store policy', md);
    expect(chunks.map((c) => [c.heading, c.headingPath, c.content])).toEqual([
      ['Policy', 'Store policy > Policy', 'Intro text.'],
      ['Returns', 'Store policy > Policy > Returns', 'Return within 30 days.'],
      ['Damaged items', 'Store policy > Policy > Returns > Damaged items', 'Send a photo.'],
    ]);
    expect(chunks[2]!.parents).toEqual(['Policy', 'Returns']);
  });

  it('closes a subsection when a heading of the same or higher level starts', () => {
    const chunks = chunkMarkdown('T', '## A\n\na\n\n### A1\n\na1\n\n## B\n\nb');
    expect(chunks.find((c) => c.content === 'b')!.headingPath).toBe('T > B');
  });

  it('cuts long sections by paragraphs and repeats the last paragraph in the next chunk', () => {
    const paragraphs = Array.from({ length: 6 }, (_, i) => `Rule ${i}: ${'x'.repeat(250)}`);
    const chunks = chunkMarkdown('T', `## Rules\n\n${paragraphs.join('\n\n')}`, 600);
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) expect(c.content.length).toBeLessThanOrEqual(600);
    for (let i = 1; i < chunks.length; i++) {
      const prevLast = chunks[i - 1]!.content.split('\n\n').pop()!;
      expect(chunks[i]!.content.startsWith(prevLast)).toBe(true);
    }
    // every paragraph is in some chunk
    for (const p of paragraphs) expect(chunks.some((c) => c.content.includes(p))).toBe(true);
  });

  it('cuts a single over-long paragraph at sentence ends', () => {
    const text = Array.from({ length: 40 }, (_, i) => `Rule ${i}: refunds go to the original payment method within seven days. `).join('');
    const chunks = chunkMarkdown('T', text, 300);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.content.length).toBeLessThanOrEqual(300);
      expect(c.content.endsWith('days.')).toBe(true);
    }
  });

  it('reads setext headings and ignores "#" lines inside code fences', () => {
    const md = 'Shipping\n========\n\nWe ship daily.\n\n```\n# not a heading\n```\n\nExchanges\n---------\n\nSwap sizes freely.';
    const chunks = chunkMarkdown('T', md);
    expect(chunks.map((c) => c.heading)).toEqual(['Shipping', 'Exchanges']);
    expect(chunks[0]!.content).toContain('# not a heading');
  });

  it('keeps identical text under the same heading once', () => {
    const chunks = chunkMarkdown('T', '## A\n\nSame.\n\n## A\n\nSame.\n\n## B\n\nSame.');
    expect(chunks.map((c) => c.heading)).toEqual(['A', 'B']);
    expect(chunks[0]!.contentHash).toBe(chunks[1]!.contentHash);
  });

  it('treats plain text as paragraphs without headings', () => {
    const chunks = chunkDocument('Notes', '# not a heading\n\nSecond paragraph.', 'text');
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.heading).toBeNull();
    expect(chunks[0]!.content).toBe('# not a heading\n\nSecond paragraph.');
  });

  it('keeps HTML headings as sections', () => {
    const chunks = chunkDocument('FAQ', '<h2>Refunds</h2><p>Within 5 days.</p><h2>Returns</h2><ul><li>Unused</li><li>Tags on</li></ul>', 'html');
    expect(chunks.map((c) => [c.heading, c.content])).toEqual([
      ['Refunds', 'Within 5 days.'],
      ['Returns', '- Unused\n\n- Tags on'],
    ]);
  });
});
