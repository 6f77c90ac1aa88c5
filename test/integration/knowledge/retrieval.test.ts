import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app/context.js';
import { createRedisRetrievalCache } from '../../../src/knowledge/cache.js';
import { deleteDocument } from '../../../src/knowledge/documents.js';
import { importDocument, KnowledgeInputError } from '../../../src/knowledge/import.js';
import { atKnowledgeVersion, createRetriever } from '../../../src/knowledge/retrieve.js';
import { getKnowledgeVersion } from '../../../src/knowledge/version.js';
import type { Store } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { createStoreWithKey, loadDemoStore } from '../../helpers/stores.js';

let db: TestDb;
let ctx: AppContext;
let demo: Store;
let storeA: Store;
let storeB: Store;

beforeAll(async () => {
  db = await createTestDb();
  ctx = await createTestContext(db);
  demo = await loadDemoStore(db.knex);
  storeA = (await createStoreWithKey(db.knex, 'store-a')).store;
  storeB = (await createStoreWithKey(db.knex, 'store-b')).store;
});

afterAll(async () => {
  await ctx?.close();
  await db?.close();
});

const chunksOf = (documentId: string) =>
  db.knex('policy_chunks').where({ document_id: documentId }).orderBy('ordinal').select('id', 'heading', 'content');

describe('the demo policy', () => {
  it('is imported at bootstrap, one or more passages per wiki section', async () => {
    const headings = await db.knex('policy_chunks').where({ store_id: demo.id }).distinct('heading').pluck('heading');
    expect(headings).toEqual(
      expect.arrayContaining([
        'Retail agent policy',
        'Domain basic',
        'Cancel pending order',
        'Modify pending order',
        'Modify payment',
        'Modify items',
        'Return delivered order',
        'Exchange delivered order',
      ]),
    );
  });

  it.each([
    ['hi, could I get my money back for the sneakers that arrived yesterday?', 'Return delivered order'],
    ['please call off the order I placed ten minutes ago', 'Cancel pending order'],
    ['can I swap the blue mug I received for a red one', 'Exchange delivered order'],
    ['I want to pay with a different credit card before it ships', 'Modify payment'],
  ])('finds the section a customer means: "%s"', async (query, section) => {
    const passages = await createRetriever({ db: db.knex }).retrieve({ storeId: demo.id, query, limit: 3 });
    expect(passages.map((p) => p.heading)).toContain(section);
    expect(passages[0]).toMatchObject({ documentTitle: 'Store policy', sources: ['fts'] });
    expect(passages[0]!.headingPath.startsWith('Store policy > ')).toBe(true);
  });

  it('boosts the sections of the intent without filtering the others out', async () => {
    const retriever = createRetriever({ db: db.knex });
    const query = 'what do I need to confirm for my order';
    const plain = await retriever.retrieve({ storeId: demo.id, query, limit: 10 });
    const boosted = await retriever.retrieve({ storeId: demo.id, query, intent: 'cancel_order', limit: 10 });
    const rank = (ps: typeof plain) => ps.findIndex((p) => p.heading === 'Cancel pending order');
    expect(rank(boosted)).toBeGreaterThanOrEqual(0);
    expect(rank(boosted)).toBeLessThanOrEqual(rank(plain));
    expect(rank(boosted)).toBe(0);
    expect(boosted.length).toBe(plain.length);
  });

  it('returns nothing for a question with no word in the knowledge, and for an empty one', async () => {
    const retriever = createRetriever({ db: db.knex });
    expect(await retriever.retrieve({ storeId: demo.id, query: 'xylophone zeppelin' })).toEqual([]);
    expect(await retriever.retrieve({ storeId: demo.id, query: '   ' })).toEqual([]);
  });
});

describe('import, re-import, delete', () => {
  const policy = (days: number) => `# Returns\n\nYou can return unworn shoes within ${days} days.\n\n## Gift wrapping\n\nGift wrapping costs 5 dollars.`;

  it('imports Markdown into heading-scoped chunks and bumps the knowledge version', async () => {
    const before = await getKnowledgeVersion(db.knex, storeA.id);
    const r = await importDocument(db.knex, { storeId: storeA.id, title: 'Shoe policy', sourceRef: 'shoes.md', content: policy(30) });
    expect(r).toMatchObject({ chunks: 2, unchanged: false });
    expect((await chunksOf(r.documentId)).map((c) => c.heading)).toEqual(['Returns', 'Gift wrapping']);
    expect(await getKnowledgeVersion(db.knex, storeA.id)).toBe(before + 1);
  });

  it('re-importing identical content changes nothing; changed content replaces every chunk', async () => {
    const first = await importDocument(db.knex, { storeId: storeA.id, title: 'Shoe policy', sourceRef: 'shoes.md', content: policy(30) });
    const oldChunks = await chunksOf(first.documentId);
    const version = await getKnowledgeVersion(db.knex, storeA.id);

    const same = await importDocument(db.knex, { storeId: storeA.id, title: 'Shoe policy', sourceRef: 'shoes.md', content: policy(30) });
    expect(same).toEqual({ documentId: first.documentId, chunks: 2, unchanged: true });
    expect(await chunksOf(first.documentId)).toEqual(oldChunks);
    expect(await getKnowledgeVersion(db.knex, storeA.id)).toBe(version);

    const changed = await importDocument(db.knex, { storeId: storeA.id, title: 'Shoe policy', sourceRef: 'shoes.md', content: policy(60) });
    expect(changed).toMatchObject({ documentId: first.documentId, unchanged: false });
    const newChunks = await chunksOf(first.documentId);
    expect(newChunks.map((c) => c.content)).toContain('You can return unworn shoes within 60 days.');
    expect(newChunks.some((c) => c.content.includes('30 days'))).toBe(false);
    expect(newChunks.some((c) => oldChunks.some((o) => o.id === c.id))).toBe(false);
    expect(await db.knex('policy_documents').where({ store_id: storeA.id, source_ref: 'shoes.md' }).count({ n: '*' })).toEqual([{ n: 1 }]);

    const passages = await createRetriever({ db: db.knex }).retrieve({ storeId: storeA.id, query: 'how many days to return shoes' });
    expect(passages[0]!.content).toContain('60 days');
  });

  it('imports HTML and plain text', async () => {
    const html = await importDocument(db.knex, {
      storeId: storeA.id,
      title: 'Help center',
      sourceRef: 'help.html',
      format: 'html',
      content: '<h1>Help</h1><h2>Loyalty points</h2><p>Points expire after <b>twelve</b> months.</p>',
    });
    const text = await importDocument(db.knex, { storeId: storeA.id, title: 'Notes', sourceRef: 'notes.txt', format: 'text', content: 'Engraving is free.\n\nWe engrave in two days.' });
    expect((await chunksOf(html.documentId)).map((c) => [c.heading, c.content])).toEqual([['Loyalty points', 'Points expire after twelve months.']]);
    expect((await chunksOf(text.documentId)).map((c) => c.heading)).toEqual([null]);
    const passages = await createRetriever({ db: db.knex }).retrieve({ storeId: storeA.id, query: 'when do loyalty points expire' });
    expect(passages[0]).toMatchObject({ heading: 'Loyalty points', documentTitle: 'Help center' });
  });

  it('searches a document with its own language configuration and refuses an unknown one', async () => {
    await importDocument(db.knex, { storeId: storeA.id, title: 'Politique', sourceRef: 'fr.md', language: 'french', content: '## Retours\n\nLes chaussures peuvent être retournées sous trente jours.' });
    const passages = await createRetriever({ db: db.knex }).retrieve({ storeId: storeA.id, query: 'retourner des chaussures' });
    expect(passages[0]).toMatchObject({ heading: 'Retours' });
    await expect(
      importDocument(db.knex, { storeId: storeA.id, title: 'X', sourceRef: 'x.md', language: 'klingon', content: 'x' }),
    ).rejects.toBeInstanceOf(KnowledgeInputError);
  });

  it('deletes a document with its chunks; its passages are gone', async () => {
    const r = await importDocument(db.knex, { storeId: storeA.id, title: 'Temp', sourceRef: 'temp.md', content: '## Umbrellas\n\nUmbrellas are final sale.' });
    const retriever = createRetriever({ db: db.knex });
    expect((await retriever.retrieve({ storeId: storeA.id, query: 'umbrellas' }))[0]?.documentId).toBe(r.documentId);
    expect(await deleteDocument(db.knex, storeB.id, r.documentId)).toBe(false); // another store cannot
    expect(await deleteDocument(db.knex, storeA.id, r.documentId)).toBe(true);
    expect(await chunksOf(r.documentId)).toEqual([]);
    expect(await retriever.retrieve({ storeId: storeA.id, query: 'umbrellas' })).toEqual([]);
    expect(await deleteDocument(db.knex, storeA.id, r.documentId)).toBe(false);
  });
});

describe('store scoping', () => {
  it("store B never sees store A's passages, nor the demo store's", async () => {
    await importDocument(db.knex, { storeId: storeB.id, title: 'B policy', sourceRef: 'b.md', content: '## Surfboards\n\nSurfboards ship in a crate.' });
    const retriever = createRetriever({ db: db.knex });
    const b = await retriever.retrieve({ storeId: storeB.id, query: 'gift wrapping return shoes cancel order refund surfboards', limit: 50 });
    expect(b.length).toBeGreaterThan(0);
    expect(b.every((p) => p.documentTitle === 'B policy')).toBe(true);
    const a = await retriever.retrieve({ storeId: storeA.id, query: 'surfboards crate', limit: 50 });
    expect(a.some((p) => p.content.includes('Surfboards'))).toBe(false);
    const d = await retriever.retrieve({ storeId: demo.id, query: 'gift wrapping surfboards', limit: 50 });
    expect(d.every((p) => p.documentTitle === 'Store policy')).toBe(true);
  });

  it('never returns candidate (unapproved) documents', async () => {
    await importDocument(db.knex, { storeId: storeB.id, title: 'Learned', sourceRef: 'l1', source: 'learned', status: 'candidate', content: '## Do you sell kites?\n\nYes, kites are in the outdoor section.' });
    expect(await createRetriever({ db: db.knex }).retrieve({ storeId: storeB.id, query: 'kites' })).toEqual([]);
  });
});

describe('retrieval cache', () => {
  it('serves repeated questions from Redis until the knowledge changes', async () => {
    const cache = createRedisRetrievalCache(ctx.redis, { prefix: ctx.config.QUEUE_PREFIX });
    const retriever = createRetriever({ db: db.knex, cache });
    const { documentId } = await importDocument(db.knex, { storeId: storeB.id, title: 'Kayaks', sourceRef: 'kayak.md', content: '## Kayak rental\n\nKayaks rent for 20 dollars a day.' });
    const first = await retriever.retrieve({ storeId: storeB.id, query: 'Kayak rental price?' });
    expect(first[0]!.content).toContain('20 dollars');
    // Change the rows behind the cache's back: a cached answer is still served…
    await db.knex('policy_chunks').where({ document_id: documentId }).update({ content: 'edited directly' });
    expect(await retriever.retrieve({ storeId: storeB.id, query: 'kayak   rental price' })).toEqual(first);
    const keys = await ctx.redis.keys(`${ctx.config.QUEUE_PREFIX}:knowledge:${storeB.id}:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(await ctx.redis.ttl(keys[0]!)).toBeGreaterThan(3500);
    // …until a re-import bumps the version: the stale answer never survives it.
    await importDocument(db.knex, { storeId: storeB.id, title: 'Kayaks', sourceRef: 'kayak.md', content: '## Kayak rental\n\nKayaks rent for 25 dollars a day.' });
    expect((await retriever.retrieve({ storeId: storeB.id, query: 'Kayak rental price?' }))[0]!.content).toContain('25 dollars');
  });

  it('uses the knowledge version a job read at its start, and a newer one sees the change', async () => {
    const cache = createRedisRetrievalCache(ctx.redis, { prefix: ctx.config.QUEUE_PREFIX });
    const retriever = createRetriever({ db: db.knex, cache });
    await importDocument(db.knex, { storeId: storeB.id, title: 'Canoes', sourceRef: 'canoe.md', content: '## Canoe rental\n\nCanoes rent for 30 dollars a day.' });
    const before = await getKnowledgeVersion(db.knex, storeB.id);
    const atStart = atKnowledgeVersion(retriever, before);
    expect((await atStart.retrieve({ storeId: storeB.id, query: 'Canoe rental price?' }))[0]!.content).toContain('30 dollars');
    await importDocument(db.knex, { storeId: storeB.id, title: 'Canoes', sourceRef: 'canoe.md', content: '## Canoe rental\n\nCanoes rent for 35 dollars a day.' });
    // The job that started before the change keeps its version (its cached answer), asking nothing…
    expect((await atStart.retrieve({ storeId: storeB.id, query: 'Canoe rental price?' }))[0]!.content).toContain('30 dollars');
    const after = await getKnowledgeVersion(db.knex, storeB.id);
    expect(after).toBeGreaterThan(before);
    // …and the next job, reading the new version, gets the new passage.
    expect((await atKnowledgeVersion(retriever, after).retrieve({ storeId: storeB.id, query: 'Canoe rental price?' }))[0]!.content).toContain('35 dollars');
  });
});
