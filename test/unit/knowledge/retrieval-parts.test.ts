import { describe, expect, it } from 'vitest';
import { normalizeQuery, retrievalCacheKey } from '../../../src/knowledge/cache.js';
import { formatCitationLine, toCitation } from '../../../src/knowledge/citations.js';
import { reciprocalRankFusion } from '../../../src/knowledge/fuse.js';
import { matchesIntent } from '../../../src/knowledge/intents.js';
import type { Passage } from '../../../src/knowledge/retrieve.js';
import { expansionsFor } from '../../../src/knowledge/synonyms.js';
import { parseTsvector, quoteLexeme } from '../../../src/knowledge/tsvector.js';

describe('synonyms', () => {
  it.each([
    ['I want my money back', 'refund'],
    ['can I send it back?', 'return'],
    ['could you swap it for a medium', 'exchange'],
    ['I need to change my address', 'modify'],
    ['I moved, ship it to my new address', 'address'],
    ['please call off my order', 'cancel'],
    ['I ordered it by mistake', 'cancel'],
    ['how do you verify my identity', 'authenticate'],
    ['let me talk to a real person', 'human'],
  ])('"%s" adds %s', (question, word) => {
    expect(expansionsFor(question)).toContain(word);
  });

  it('adds nothing to a question without support vocabulary', () => {
    expect(expansionsFor('hello there')).toEqual([]);
  });

  it('does not read "exchange" as "change"', () => {
    expect(expansionsFor('exchange policy')).not.toContain('modify');
  });
});

describe('parseTsvector', () => {
  it('reads lexemes with weighted positions, quotes and stripped entries', () => {
    expect(parseTsvector("'cancel':1A,7 'o''neil':3 'pend'")).toEqual([
      { lexeme: 'cancel', weights: ['A', 'D'], positions: [1, 7] },
      { lexeme: "o'neil", weights: ['D'], positions: [3] },
      { lexeme: 'pend', weights: ['D'], positions: [] },
    ]);
  });

  it('quotes a lexeme for a tsquery', () => {
    expect(quoteLexeme("o'neil")).toBe("'o''neil'");
  });
});

describe('reciprocalRankFusion', () => {
  it('ranks an item found by both rankers above items found by one', () => {
    const fused = reciprocalRankFusion(
      [
        { source: 'fts', items: ['a', 'b', 'c'] },
        { source: 'vector', items: ['c', 'd'] },
      ],
      (x) => x,
    );
    expect(fused[0]).toMatchObject({ item: 'c', sources: ['fts', 'vector'] });
    expect(fused.map((f) => f.item)).toEqual(['c', 'a', 'b', 'd']);
    expect(fused[0]!.score).toBeCloseTo(1 / 63 + 1 / 61);
  });
});

describe('intent topics', () => {
  it('matches the heading path or category, and never for an unknown intent', () => {
    const p = { headingPath: 'Policy > Cancel pending order', category: null };
    expect(matchesIntent('cancel_order', p)).toBe(true);
    expect(matchesIntent('return_request', p)).toBe(false);
    expect(matchesIntent('nonsense', p)).toBe(false);
    expect(matchesIntent(undefined, p)).toBe(false);
  });
});

describe('cache keys', () => {
  const base = { storeId: 's1', version: 3, query: 'Can I cancel?', limit: 5, model: null };
  it('ignore case, spacing and trailing punctuation', () => {
    expect(normalizeQuery('  Can I   CANCEL?? ')).toBe('can i cancel');
    expect(retrievalCacheKey(base)).toBe(retrievalCacheKey({ ...base, query: 'can i cancel' }));
  });
  it('change with the knowledge version, the intent and the model, and never contain the question', () => {
    const key = retrievalCacheKey(base);
    expect(retrievalCacheKey({ ...base, version: 4 })).not.toBe(key);
    expect(retrievalCacheKey({ ...base, intent: 'cancel_order' })).not.toBe(key);
    expect(retrievalCacheKey({ ...base, model: 'text-embedding-3-small' })).not.toBe(key);
    expect(key).not.toMatch(/cancel/i);
  });
});

describe('citations', () => {
  const p: Passage = {
    chunkId: '0c7e4d3a-0000-4000-8000-000000000001',
    documentId: 'd',
    documentTitle: 'Store policy',
    heading: 'Cancel pending order',
    headingPath: 'Store policy > Cancel pending order',
    content: `An order can only be cancelled if its status is pending. ${'More words here. '.repeat(30)}`,
    score: 0.1,
    sources: ['fts'],
  };
  it('carry chunk id, title, heading and a short excerpt', () => {
    const c = toCitation(p, 80);
    expect(c).toMatchObject({ chunkId: p.chunkId, documentTitle: 'Store policy', heading: 'Cancel pending order' });
    expect(c.excerpt.length).toBeLessThanOrEqual(81);
    expect(c.excerpt.endsWith('…')).toBe(true);
  });
  it('format one sources line for a draft note', () => {
    expect(formatCitationLine([p, p])).toBe('Sources: Store policy › Cancel pending order [0c7e4d3a]');
  });
});
