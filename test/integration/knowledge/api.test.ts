import nock from 'nock';
import supertest from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeLearnHandler } from '../../../jobs/handlers/knowledge-learn.js';
import type { AppContext } from '../../../src/app/context.js';
import { createApp } from '../../../src/http/app.js';
import { routeModules } from '../../../src/http/routes/index.js';
import { createRetriever } from '../../../src/knowledge/retrieve.js';
import { generateApiKey, saveApiKey } from '../../../src/security/api-keys.js';
import { saveCredentials } from '../../../src/store/credentials.js';
import type { Store } from '../../../src/store/stores.js';
import { createTestContext } from '../../helpers/context.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { createStoreWithKey } from '../../helpers/stores.js';

let db: TestDb;
let ctx: AppContext;
let api: ReturnType<typeof supertest>;
let store: Store;
let key: string;
let readKey: string;
let otherKey: string;
let otherStore: Store;

beforeAll(async () => {
  db = await createTestDb();
  ctx = await createTestContext(db);
  ({ store, key } = await createStoreWithKey(db.knex, 'shop-a'));
  readKey = generateApiKey();
  await saveApiKey(db.knex, { storeId: store.id, key: readKey, name: 'reader', permissions: ['read'] });
  ({ store: otherStore, key: otherKey } = await createStoreWithKey(db.knex, 'shop-b'));
  api = supertest(createApp(ctx, routeModules(ctx)));
});

afterEach(() => nock.cleanAll());

afterAll(async () => {
  await ctx?.close();
  await db?.close();
});

const auth = (k: string) => ({ authorization: `Bearer ${k}` });
const base = () => `/api/v1/stores/${store.id}/knowledge`;

describe('POST/GET/DELETE /api/v1/stores/:id/knowledge', () => {
  let documentId: string;

  it('imports a Markdown document (201), then the same content again (200, unchanged)', async () => {
    const body = { title: 'Returns & Refunds', content: '## Refund timing\n\nRefunds reach your card within 5 business days.' };
    const created = await api.post(base()).set(auth(key)).send(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ chunks: 1, unchanged: false, embedding: 'off', document: { title: 'Returns & Refunds', sourceRef: 'returns-refunds', status: 'active', source: 'api' } });
    documentId = created.body.document.id;
    const again = await api.post(base()).set(auth(key)).send(body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ unchanged: true, document: { id: documentId } });
  });

  it('imports HTML and lists documents; a slug works as the store id', async () => {
    const r = await api
      .post(`/api/v1/stores/shop-a/knowledge`)
      .set(auth(key))
      .send({ title: 'Shipping', format: 'html', sourceRef: 'help/shipping.html', content: '<h2>Express shipping</h2><p>Express orders leave the same day.</p>' });
    expect(r.status).toBe(201);
    const list = await api.get(base()).set(auth(readKey));
    expect(list.status).toBe(200);
    expect(list.body.documents.map((d: { title: string }) => d.title).sort()).toEqual(['Returns & Refunds', 'Shipping']);
  });

  it('shows one document with its chunks and searches with citations', async () => {
    const doc = await api.get(`${base()}/${documentId}`).set(auth(readKey));
    expect(doc.status).toBe(200);
    expect(doc.body.chunks).toEqual([expect.objectContaining({ heading: 'Refund timing', ordinal: 0, embedded: false })]);
    const search = await api.get(`${base()}/search`).query({ q: 'when do I get my money back?' }).set(auth(readKey));
    expect(search.status).toBe(200);
    expect(search.body.passages[0]).toMatchObject({
      documentTitle: 'Returns & Refunds',
      heading: 'Refund timing',
      sources: ['fts'],
      citation: { chunkId: doc.body.chunks[0].id, documentTitle: 'Returns & Refunds', heading: 'Refund timing', excerpt: 'Refunds reach your card within 5 business days.' },
    });
  });

  it('rejects bad input with 400 and a reason', async () => {
    expect((await api.post(base()).set(auth(key)).send({ title: 'x' })).status).toBe(400);
    const lang = await api.post(base()).set(auth(key)).send({ title: 'x', content: 'y', language: 'klingon' });
    expect(lang.status).toBe(400);
    expect(lang.body.error.message).toContain('klingon');
    expect((await api.post(base()).set(auth(key)).send({ title: 'x', content: 'y', format: 'pdf' })).status).toBe(400);
    expect((await api.get(`${base()}/search`).set(auth(key))).status).toBe(400);
    const malformed = await api.post(base()).set({ ...auth(key), 'content-type': 'application/json' }).send('{"title":');
    expect(malformed.status).toBe(400);
  });

  it('enforces keys and stores: 401 without a key, 403 for a read key writing or another store, 404 for a foreign document', async () => {
    expect((await api.get(base())).status).toBe(401);
    expect((await api.post(base()).set(auth(readKey)).send({ title: 't', content: 'c' })).status).toBe(403);
    expect((await api.get(base()).set(auth(otherKey))).status).toBe(403);
    expect((await api.get(`${base()}/search`).query({ q: 'refund' }).set(auth(otherKey))).status).toBe(403);
    expect((await api.get(`/api/v1/stores/${otherStore.id}/knowledge/${documentId}`).set(auth(otherKey))).status).toBe(404);
    expect((await api.delete(`/api/v1/stores/${otherStore.id}/knowledge/${documentId}`).set(auth(otherKey))).status).toBe(404);
    expect((await api.get(`${base()}/not-a-uuid`).set(auth(key))).status).toBe(404);
  });

  it('deletes a document (204); it is gone from list, read and search', async () => {
    expect((await api.delete(`${base()}/${documentId}`).set(auth(key))).status).toBe(204);
    expect((await api.get(`${base()}/${documentId}`).set(auth(key))).status).toBe(404);
    expect((await api.delete(`${base()}/${documentId}`).set(auth(key))).status).toBe(404);
    const search = await api.get(`${base()}/search`).query({ q: 'refund timing' }).set(auth(key));
    expect(search.body.passages).toEqual([]);
  });
});

describe('learned FAQ candidates', () => {
  let conversationId: string;

  beforeAll(async () => {
    const [conv] = await db.knex('conversations')
      .insert({ store_id: store.id, channel: 'zendesk', external_id: 'T-77', status: 'resolved', primary_intent: 'product_question', customer_email: 'ann@example.com' })
      .returning('id');
    conversationId = conv.id;
    const at = (s: number) => new Date(Date.UTC(2026, 0, 5, 10, 0, s)).toISOString();
    await db.knex('messages').insert([
      { store_id: store.id, conversation_id: conversationId, created_at: at(1), role: 'user', content: 'Hi, do you ship to Canada? My email is ann@example.com' },
      { store_id: store.id, conversation_id: conversationId, created_at: at(2), role: 'agent', delivery: 'internal', content: 'note to self: check the carrier list' },
      { store_id: store.id, conversation_id: conversationId, created_at: at(3), role: 'agent', delivery: 'public', content: 'Hi Ann,\nYes, we ship to Canada with tracked delivery in 6 to 9 business days.\nBest,\nTom' },
    ]);
  });

  it('queues the learning job for a conversation of this store only', async () => {
    const r = await api.post(`${base()}/learn`).set(auth(key)).send({ conversationId });
    expect(r.status).toBe(202);
    expect(r.body.jobId).toBe(`klearn-${conversationId}`);
    expect((await api.post(`${base()}/learn`).set(auth(key)).send({ conversationId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
  });

  it('turns agent replies into scrubbed candidates that retrieval ignores until approved', async () => {
    const learn = knowledgeLearnHandler(ctx);
    expect(await learn({ storeId: store.id, conversationId })).toEqual({ candidates: 1 });
    expect(await learn({ storeId: store.id, conversationId })).toEqual({ candidates: 0 }); // idempotent
    const list = await api.get(`${base()}/candidates`).set(auth(key));
    expect(list.body.candidates).toHaveLength(1);
    const candidate = list.body.candidates[0];
    expect(candidate).toMatchObject({ source: 'learned', status: 'candidate', category: 'faq:product_question', metadata: { conversationId } });
    const doc = await api.get(`${base()}/${candidate.id}`).set(auth(key));
    expect(doc.body.document.content).toBe('## do you ship to Canada? My email is [email]\n\nYes, we ship to Canada with tracked delivery in 6 to 9 business days.');
    expect(JSON.stringify(doc.body)).not.toMatch(/ann@example\.com|Tom|note to self/);

    const retriever = createRetriever({ db: db.knex });
    const before = await retriever.retrieve({ storeId: store.id, query: 'ship to Canada', limit: 50 });
    expect(before.some((p) => p.documentId === candidate.id)).toBe(false);
    const approved = await api.post(`${base()}/candidates/${candidate.id}/approve`).set(auth(key)).send({});
    expect(approved.status).toBe(200);
    expect(approved.body.document.status).toBe('active');
    expect((await retriever.retrieve({ storeId: store.id, query: 'ship to Canada' }))[0]).toMatchObject({ documentId: candidate.id });
    expect((await api.post(`${base()}/candidates/${candidate.id}/approve`).set(auth(key)).send({})).status).toBe(409);
  });

  it('rejects a candidate, and approves an edited one', async () => {
    const mk = async (ref: string) =>
      (await db.knex('policy_documents').insert({ store_id: store.id, title: 'Q', source: 'learned', source_ref: ref, status: 'candidate', content: '## Q\n\nOld answer text.', content_hash: ref }).returning('id'))[0].id as string;
    const rejected = await mk('r1');
    expect((await api.post(`${base()}/candidates/${rejected}/reject`).set(auth(key))).body).toEqual({ id: rejected, status: 'rejected' });
    const edited = await mk('r2');
    const r = await api.post(`${base()}/candidates/${edited}/approve`).set(auth(key)).send({ content: '## Gift cards\n\nGift cards never expire.' });
    expect(r.body.document).toMatchObject({ status: 'active', content: '## Gift cards\n\nGift cards never expire.' });
    const passages = await createRetriever({ db: db.knex }).retrieve({ storeId: store.id, query: 'do gift cards expire' });
    expect(passages[0]).toMatchObject({ documentId: edited, heading: 'Gift cards' });
  });
});

describe('POST /knowledge/macros/sync', () => {
  it('is 409 until a helpdesk connector is configured', async () => {
    const r = await api.post(`${base()}/macros/sync`).set(auth(key)).send({ source: 'zendesk' });
    expect(r.status).toBe(409);
  });

  it('mirrors Zendesk macros into knowledge and removes the ones that disappeared', async () => {
    await saveCredentials(db.knex, ctx.encryptionKey, {
      storeId: store.id,
      kind: 'zendesk',
      secrets: { email: 'bot@shop-a.test', apiToken: 'tok', webhookSecret: 'whs' },
      meta: { subdomain: 'shopa', authType: 'api_token' },
    });
    // Shape: Zendesk "List Active Macros" ({macros:[{id,title,active,actions:[{field,value}]}], next_page}).
    const page = (macros: object[]) => ({ macros, next_page: null, count: macros.length });
    const refund = { id: 901, title: 'Refund sent', active: true, actions: [{ field: 'comment_value', value: 'Your refund is on its way: allow 5 business days.' }] };
    const warranty = { id: 902, title: 'Warranty', active: true, actions: [{ field: 'comment_value_html', value: '<p>All lamps carry a two-year warranty.</p>' }] };
    nock('https://shopa.zendesk.com').get('/api/v2/macros/active.json').query(true).reply(200, page([refund, warranty]));
    const first = await api.post(`${base()}/macros/sync`).set(auth(key)).send({ source: 'zendesk' });
    expect(first.body).toEqual({ source: 'zendesk', imported: 2, unchanged: 0, removed: 0 });
    const passages = await createRetriever({ db: db.knex }).retrieve({ storeId: store.id, query: 'lamp warranty' });
    expect(passages[0]).toMatchObject({ documentTitle: 'Warranty', heading: 'Warranty' });

    nock('https://shopa.zendesk.com').get('/api/v2/macros/active.json').query(true).reply(200, page([refund]));
    const second = await api.post(`${base()}/macros/sync`).set(auth(key)).send({ source: 'zendesk' });
    expect(second.body).toEqual({ source: 'zendesk', imported: 0, unchanged: 1, removed: 1 });

    nock('https://shopa.zendesk.com').get('/api/v2/macros/active.json').query(true).reply(401, { error: 'Couldn\'t authenticate you' });
    const failed = await api.post(`${base()}/macros/sync`).set(auth(key)).send({ source: 'zendesk' });
    expect(failed.status).toBe(502);
    expect(failed.body.error.message).not.toContain('tok');
  });
});
