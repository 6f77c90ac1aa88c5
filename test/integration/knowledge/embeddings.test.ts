import type { Worker } from 'bullmq';
import nock from 'nock';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jobCatalog } from '../../../jobs/catalog.js';
import { knowledgeEmbedHandler } from '../../../jobs/handlers/knowledge-embed.js';
import { startWorkers } from '../../../jobs/workers.js';
import type { AppContext } from '../../../src/app/context.js';
import { hasVectorColumn } from '../../../src/db/migrate.js';
import { connectRedis, createRedis } from '../../../src/infra/redis.js';
import { embedDocument, scheduleEmbeddings } from '../../../src/knowledge/embed.js';
import { createOpenAIEmbedder } from '../../../src/knowledge/embedder.js';
import { importDocument } from '../../../src/knowledge/import.js';
import { createRetriever } from '../../../src/knowledge/retrieve.js';
import { importKnowledge } from '../../../src/knowledge/service.js';
import { getKnowledgeVersion } from '../../../src/knowledge/version.js';
import type { Store } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { createStoreWithKey, loadDemoStore } from '../../helpers/stores.js';
import { mockEmbeddings, OPENAI } from './fake-embeddings.js';

let db: TestDb;
let ctx: AppContext;
let demo: Store;
let vectors = false;
const embedder = createOpenAIEmbedder({ apiKey: 'sk-test', model: 'text-embedding-3-small', timeoutMs: 2000 });

/** A logger whose lines the test can read (to check warnings, and that they carry no question). */
function captureLogger() {
  const lines: string[] = [];
  return { lines, logger: pino({ level: 'warn' }, { write: (s: string) => void lines.push(s) }) };
}

beforeAll(async () => {
  db = await createTestDb();
  ctx = await createTestContext(db);
  demo = await loadDemoStore(db.knex);
  vectors = await hasVectorColumn(db.knex);
});

afterEach(() => nock.cleanAll());

afterAll(async () => {
  await ctx?.close();
  await db?.close();
});

describe('embeddings path', () => {
  it('embeds a document through the embeddings API and fuses vector hits with full-text ones', async (t) => {
    if (!vectors) t.skip(); // Postgres without pgvector: full-text only, covered elsewhere
    const doc = await db.knex('policy_documents').where({ store_id: demo.id }).first('id');
    const version = await getKnowledgeVersion(db.knex, demo.id);
    const scope = mockEmbeddings(1);
    const r = await embedDocument(db.knex, embedder, { storeId: demo.id, documentId: doc.id });
    scope.done();
    const total = await db.knex('policy_chunks').where({ document_id: doc.id }).count({ n: '*' });
    expect(r.embedded).toBe(Number(total[0]!.n));
    expect(await getKnowledgeVersion(db.knex, demo.id)).toBe(version + 1);
    // Second run: nothing left to embed, no API call (nock would refuse it).
    expect(await embedDocument(db.knex, embedder, { storeId: demo.id, documentId: doc.id })).toEqual({ embedded: 0, skipped: 'up_to_date' });

    const retriever = createRetriever({ db: db.knex, embedder });
    // No word of this question is in the policy: only the vector ranker can find it.
    mockEmbeddings(1);
    const semantic = await retriever.retrieve({ storeId: demo.id, query: 'hand the parcel to the courier', limit: 3 });
    expect(semantic[0]).toMatchObject({ heading: 'Return delivered order', sources: ['vector'] });
    // A lexical and semantic match is found by both rankers.
    mockEmbeddings(1);
    const both = await retriever.retrieve({ storeId: demo.id, query: 'how do I return a delivered order', limit: 3 });
    expect(both[0]).toMatchObject({ heading: 'Return delivered order' });
    expect(both[0]!.sources.sort()).toEqual(['fts', 'vector']);
  });

  it('keeps full-text retrieval working when the provider fails, with a warning that names no question', async (t) => {
    if (!vectors) t.skip();
    const { lines, logger } = captureLogger();
    const retriever = createRetriever({ db: db.knex, embedder, logger });
    const scope = nock(OPENAI).post('/v1/embeddings').reply(500, { error: { message: 'The server had an error' } });
    const passages = await retriever.retrieve({ storeId: demo.id, query: 'can I cancel my pending order', limit: 3 });
    scope.done();
    expect(passages[0]).toMatchObject({ heading: 'Cancel pending order', sources: ['fts'] });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('vector retrieval failed');
    expect(lines[0]).not.toContain('cancel my pending');
  });

  it('never calls the provider for a store without embedded chunks', async () => {
    const { store } = await createStoreWithKey(db.knex, 'no-vectors');
    await importDocument(db.knex, { storeId: store.id, title: 'P', sourceRef: 'p.md', content: '## Warranty\n\nTwo years on all lamps.' });
    const { lines, logger } = captureLogger();
    // No nock interceptor: a request would fail and log a warning.
    const passages = await createRetriever({ db: db.knex, embedder, logger }).retrieve({ storeId: store.id, query: 'lamp warranty' });
    expect(passages[0]).toMatchObject({ heading: 'Warranty', sources: ['fts'] });
    expect(lines).toEqual([]);
  });
});

describe('scheduleEmbeddings', () => {
  it('queues one job per document missing vectors, and nothing twice', async (t) => {
    if (!vectors) t.skip();
    const { store } = await createStoreWithKey(db.knex, 'catch-up');
    const r = await importDocument(db.knex, { storeId: store.id, title: 'Late', sourceRef: 'late.md', content: '## Late\n\nImported while Redis was away.' });
    expect(await scheduleEmbeddings(db.knex, ctx.queues, embedder.model, { storeId: store.id })).toBe(1);
    expect(await scheduleEmbeddings(db.knex, ctx.queues, embedder.model, { storeId: store.id })).toBe(1);
    const jobs = await ctx.queues.queue('knowledge.embed').getJobs(['waiting', 'delayed', 'active']);
    const mine = jobs.filter((j) => j.data.documentId === r.documentId);
    expect(mine).toHaveLength(1);
    await mine[0]!.remove();
  });
});

describe('knowledge.embed job', () => {
  let workerConn: ReturnType<typeof createRedis>;
  let workers: Worker[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    workerConn?.disconnect();
  });

  it('is queued on import and retries a provider failure until the vectors are stored', async (t) => {
    if (!vectors) t.skip();
    const { store } = await createStoreWithKey(db.knex, 'queued');
    const r = await importKnowledge(
      { db: db.knex, queues: ctx.queues, embedder, logger: ctx.logger },
      { storeId: store.id, title: 'Care', sourceRef: 'care.md', content: '## Cleaning\n\nWipe leather with a damp cloth.\n\n## Storage\n\nKeep shoes in their box.' },
    );
    expect(r.embedding).toBe('queued');
    // First call: 503 with Retry-After 0 (RetryableError → BullMQ retry), then success.
    const scope = nock(OPENAI)
      .post('/v1/embeddings')
      .reply(503, { error: { message: 'overloaded' } }, { 'retry-after': '0' })
      .post('/v1/embeddings')
      .reply(200, (_u, body) => ({
        data: (body as { input: string[] }).input.map((_, index) => ({ embedding: [index + 1, 1, 0], index })),
        usage: {},
      }));
    workerConn = createRedis(ctx.config.REDIS_URL, 'worker');
    await connectRedis(workerConn, ctx.config.REDIS_URL);
    workers = startWorkers(
      { 'knowledge.embed': jobCatalog['knowledge.embed'] },
      { 'knowledge.embed': knowledgeEmbedHandler(ctx, embedder) },
      workerConn,
      { prefix: ctx.config.QUEUE_PREFIX, logger: ctx.logger },
    );
    const deadline = Date.now() + 20_000;
    let embedded = 0;
    while (Date.now() < deadline) {
      embedded = Number((await db.knex('policy_chunks').where({ document_id: r.documentId }).whereNotNull('embedding_model').count({ n: '*' }))[0]!.n);
      if (embedded === 2) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    expect(embedded).toBe(2);
    scope.done();
    const job = (await ctx.queues.queue('knowledge.embed').getCompleted())[0];
    expect(job?.attemptsMade).toBeGreaterThanOrEqual(1);
    expect(job?.data).toEqual({ storeId: store.id, documentId: r.documentId });
  });
});
