import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { connectDb } from '../../src/db/connect.js';
import { migrateLatest } from '../../src/db/migrate.js';

export type TestDb = { knex: Knex; kind: 'pglite' | 'pg'; schema?: string; close(): Promise<void> };

/**
 * A fresh, migrated database for one test file: in-memory PGlite (with pgvector) by default, or a
 * private schema on the server at TEST_DATABASE_URL. PGlite takes seconds to start, so create one
 * per file (beforeAll), not per test.
 */
export async function createTestDb(opts: { migrate?: boolean } = {}): Promise<TestDb> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = await connectDb({ databaseUrl: url, dataDir: '' });
    await admin.knex.raw(`create schema "${schema}"`);
    await admin.close();
    const db = await connectDb({ databaseUrl: url, dataDir: '', searchPath: schema, poolMax: 5 });
    if (opts.migrate !== false) await migrateLatest(db.knex);
    return {
      knex: db.knex,
      kind: 'pg',
      schema,
      async close() {
        await db.knex.raw(`drop schema "${schema}" cascade`).catch(() => {});
        await db.close();
      },
    };
  }
  const db = await connectDb({ dataDir: 'memory://' });
  if (opts.migrate !== false) await migrateLatest(db.knex);
  return { knex: db.knex, kind: 'pglite', close: () => db.close() };
}
