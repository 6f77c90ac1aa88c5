import { describe, expect, it } from 'vitest';
import { withLocalLayer, type RetrievalCache } from '../../../src/knowledge/cache.js';
import type { Passage } from '../../../src/knowledge/retrieve.js';

const passage = (chunkId: string): Passage => ({
  chunkId,
  documentId: 'd1',
  documentTitle: 'Returns policy',
  heading: 'Returns',
  headingPath: 'Returns',
  content: 'Items can be returned within 30 days of delivery.',
  score: 0.5,
  sources: ['fts'],
});

/** The shared (Redis) layer, counting how often it is asked. */
function sharedLayer() {
  const entries = new Map<string, Passage[]>();
  const calls = { get: 0, set: 0 };
  const cache: RetrievalCache = {
    async get(key) {
      calls.get++;
      return entries.get(key) ?? null;
    },
    async set(key, passages) {
      calls.set++;
      entries.set(key, passages);
    },
  };
  return { cache, entries, calls };
}

describe('retrieval cache: the in-process layer', () => {
  it('answers a repeated question without asking the shared cache again, until the entry expires', async () => {
    let clock = 0;
    const shared = sharedLayer();
    shared.entries.set('k1', [passage('c1')]);
    const cache = withLocalLayer(shared.cache, { ttlMs: 1000, now: () => clock });

    expect((await cache.get('k1'))?.map((p) => p.chunkId)).toEqual(['c1']);
    expect((await cache.get('k1'))?.map((p) => p.chunkId)).toEqual(['c1']);
    expect(shared.calls.get).toBe(1);

    clock = 1001;
    shared.entries.set('k1', [passage('c2')]);
    expect((await cache.get('k1'))?.map((p) => p.chunkId)).toEqual(['c2']);
    expect(shared.calls.get).toBe(2);
  });

  it('keeps what it stores, and still writes it to the shared cache', async () => {
    const shared = sharedLayer();
    const cache = withLocalLayer(shared.cache);
    await cache.set('k1', [passage('c1')], 3600);
    expect(shared.calls.set).toBe(1);
    expect((await cache.get('k1'))?.[0]?.chunkId).toBe('c1');
    expect(shared.calls.get).toBe(0);
    expect(await cache.get('missing')).toBeNull();
  });

  it('drops the oldest entry when full, and only then', async () => {
    const shared = sharedLayer();
    const cache = withLocalLayer(shared.cache, { maxEntries: 2 });
    for (const k of ['b', 'a', 'b']) await cache.set(k, [passage(k)], 3600);
    await cache.get('a');
    await cache.get('b');
    expect(shared.calls.get).toBe(0);
    await cache.set('c', [passage('c')], 3600);
    await cache.get('a');
    await cache.get('c');
    expect(shared.calls.get).toBe(0);
    await cache.get('b');
    expect(shared.calls.get).toBe(1);
  });

  it('hands out passages no run can change under another', async () => {
    const shared = sharedLayer();
    const cache = withLocalLayer(shared.cache);
    const mine = [passage('c1')];
    await cache.set('k1', mine, 3600);
    mine[0]!.content = 'changed by the caller afterwards';
    const got = (await cache.get('k1'))!;
    expect(got[0]!.content).toMatch(/30 days/);
    expect(() => {
      (got[0] as { content: string }).content = 'x';
    }).toThrow(TypeError);
    expect(() => (got as Passage[]).push(passage('c2'))).toThrow(TypeError);
  });
});
