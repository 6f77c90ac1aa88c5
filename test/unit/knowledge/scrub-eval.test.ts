import { describe, expect, it } from 'vitest';
import { evaluateRetrieval, parseDataset } from '../../../src/knowledge/eval.js';
import type { Passage, Retriever } from '../../../src/knowledge/retrieve.js';
import { scrubPii } from '../../../src/knowledge/scrub.js';

describe('scrubPii', () => {
  it('removes emails, phones, order and card numbers, greetings and sign-offs', () => {
    const text = 'Hi Jane,\n\nYour order #W1234567 was refunded to jane@example.com. Call +1 555-123-4567 or card 4111 1111 1111 1111.\n\nBest,\nTom';
    const out = scrubPii(text);
    expect(out).toBe('Your order [order number] was refunded to [email]. Call [phone] or card [card].');
  });
});

describe('parseDataset', () => {
  it('reads JSONL and names the bad line', () => {
    expect(parseDataset('{"question":"q","sections":["A"]}\n\n')).toEqual([{ question: 'q', sections: ['A'] }]);
    expect(() => parseDataset('{"question":"q","sections":["A"]}\n{"question":"q"}')).toThrow(/line 2/);
  });
});

describe('evaluateRetrieval', () => {
  const p = (heading: string | null, documentTitle = 'Store policy'): Passage => ({
    chunkId: heading ?? 'none',
    documentId: 'd',
    documentTitle,
    heading,
    headingPath: `${documentTitle} > ${heading}`,
    content: '',
    score: 1,
    sources: ['fts'],
  });
  const fixed: Record<string, Passage[]> = {
    first: [p('Cancel pending order'), p('Domain basic')],
    second: [p('Domain basic'), p('return delivered order')],
    fourth: [p('A'), p('B'), p('C'), p('Exchange delivered order')],
    title: [p(null, 'Exchange delivered order')],
  };
  const retriever: Retriever = { retrieve: async ({ query }) => fixed[query] ?? [] };

  it('counts a hit by nearest heading (case-insensitive), never by document title', async () => {
    const { report, misses } = await evaluateRetrieval(retriever, 's', [
      { question: 'first', sections: ['Cancel pending order'] },
      { question: 'second', sections: ['Return delivered order'] },
      { question: 'fourth', sections: ['Exchange delivered order'] },
      { question: 'title', sections: ['Exchange delivered order'] },
    ]);
    expect(report).toEqual({ n: 4, recall_at_1: 0.25, recall_at_3: 0.5, mrr: 0.4375 });
    expect(misses.map((m) => m.question)).toEqual(['fourth', 'title']);
  });
});

describe('scrubPii greetings', () => {
  it('drops an inline greeting with its name, keeping the question', () => {
    expect(scrubPii('Hi Jane, do you ship to Canada?')).toBe('do you ship to Canada?');
    expect(scrubPii('Hello! Can I return shoes?')).toBe('Can I return shoes?');
  });
});
