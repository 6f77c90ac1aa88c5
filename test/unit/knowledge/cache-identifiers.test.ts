import { describe, expect, it } from 'vitest';
import { maskIdentifiers, retrievalCacheKey } from '../../../src/knowledge/cache.js';

// The retrieval cache is shared by questions that differ only in which order they are about.
describe('retrieval cache key: identifiers the customer quotes', () => {
  const base = { storeId: 's1', version: 3, intent: 'order_status', limit: 3, model: null };
  const key = (query: string) => retrievalCacheKey({ ...base, query });

  it('is the same for the same question about another order, email or tracking number', () => {
    expect(key('Where is my order #W1234567?')).toBe(key('where is my order #W7654321'));
    expect(key('Where is order #1001? I am ann@example.com')).toBe(key('Where is order #2002? I am bob@shop.example'));
    expect(key('Tracking 1Z999AA10123456784 has not moved')).toBe(key('tracking 9400111899223197428490 has not moved'));
  });

  it('still differs when the question itself differs', () => {
    expect(key('Where is my order #W1234567?')).not.toBe(key('Can I return order #W1234567?'));
    expect(maskIdentifiers('return within 30 days')).toBe('return within 30 days');
  });
});
