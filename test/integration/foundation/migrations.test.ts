import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasVectorColumn, migrateLatest, migrateRollbackAll } from '../../../src/db/migrate.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';

const TABLES = [
  'stores', 'api_keys', 'connector_credentials', 'customers', 'products', 'orders', 'conversations', 'messages',
  'actions', 'external_writes', 'inbound_events', 'decision_traces', 'policy_documents', 'policy_chunks',
  'shopify_sessions',
];

async function tables(db: TestDb): Promise<string[]> {
  const r = await db.knex.raw(
    "select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
  );
  return r.rows.map((row: { table_name: string }) => row.table_name);
}

describe('migrations', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb({ migrate: false });
  });
  afterAll(async () => db?.close());

  it('create the whole data model, roll back to nothing, and apply again', async () => {
    await migrateLatest(db.knex);
    expect(await tables(db)).toEqual(expect.arrayContaining(TABLES));
    // pgvector: PGlite has it; the Postgres 15 server on CI machines has not (full-text only).
    expect(await hasVectorColumn(db.knex)).toBe(db.kind === 'pglite');

    await migrateRollbackAll(db.knex);
    const left = await tables(db);
    for (const t of TABLES) expect(left).not.toContain(t);

    await migrateLatest(db.knex);
    expect(await tables(db)).toEqual(expect.arrayContaining(TABLES));
    expect(await migrateLatest(db.knex)).toEqual([]); // nothing left to apply
  });

  it('scopes rows by store with foreign keys: deleting a store removes its data', async () => {
    const [store] = await db.knex('stores').insert({ slug: 'fk-test', name: 'FK' }).returning('id');
    const [conv] = await db.knex('conversations').insert({ store_id: store.id, channel: 'api' }).returning('id');
    await db.knex('messages').insert({ store_id: store.id, conversation_id: conv.id, role: 'user', content: 'hi' });
    await db.knex('stores').where({ id: store.id }).delete();
    expect(await db.knex('messages').where({ store_id: store.id }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('refuses a second inbound event with the same key for the same store', async () => {
    const [store] = await db.knex('stores').insert({ slug: 'dedup', name: 'D' }).returning('id');
    const row = { store_id: store.id, source: 'zendesk', idempotency_key: 'k1', event_type: 'x', payload: '{}' };
    await db.knex('inbound_events').insert(row);
    await expect(db.knex('inbound_events').insert(row)).rejects.toThrow(/unique|duplicate/i);
  });
});
