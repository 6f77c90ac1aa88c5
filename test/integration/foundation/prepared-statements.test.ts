/**
 * src/db/prepared.ts on both databases: the same answers as a plain query; on a Postgres server
 * the statement is prepared once per connection, and a table change under a prepared `*` is
 * survived. (PGlite and transactions take the plain path.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePreparedStatements, prepared } from '../../../src/db/prepared.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';

let db: TestDb;

beforeAll(async () => {
  db = await createTestDb({ migrate: false });
  await db.knex.raw('create table gadgets (id int primary key, name text not null, price numeric not null)');
  await db.knex('gadgets').insert([
    { id: 1, name: 'lamp', price: 12.5 },
    { id: 2, name: 'fan', price: 30 },
  ]);
}, 60_000);

afterAll(async () => {
  await db?.close();
});

const serverOnly = process.env.TEST_DATABASE_URL ? it : it.skip;

describe('prepared', () => {
  it('answers like a plain query, with ? placeholders, row counts and typed values', async () => {
    const sql = 'select id, name, price from gadgets where price > ? order by id';
    const plain = (await db.knex.raw(sql, [10])) as { rows: unknown[] };
    const res = await prepared<{ id: number; name: string; price: number }>(db.knex, sql, [10]);
    expect(res.rows).toEqual(plain.rows);
    expect(res.rows).toEqual([
      { id: 1, name: 'lamp', price: 12.5 },
      { id: 2, name: 'fan', price: 30 },
    ]);
    const upd = await prepared(db.knex, 'update gadgets set price = price + ? where id = ?', [1, 2]);
    expect(upd.rowCount).toBe(1);
    expect((await prepared<{ price: number }>(db.knex, 'select price from gadgets where id = ?', [2])).rows).toEqual([{ price: 31 }]);
  });

  it('runs inside a transaction on that transaction', async () => {
    await expect(
      db.knex.transaction(async (trx) => {
        await prepared(trx, 'update gadgets set name = ? where id = ?', ['desk lamp', 1]);
        expect((await prepared<{ name: string }>(trx, 'select name from gadgets where id = ?', [1])).rows[0]!.name).toBe('desk lamp');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await db.knex('gadgets').where({ id: 1 }).first()).name).toBe('lamp');
  });

  serverOnly('prepares each statement once per connection on a Postgres server', async () => {
    enablePreparedStatements(db.knex); // already on for server pools; stated for the reader
    const sql = 'select name from gadgets where id = ?';
    for (let i = 0; i < 5; i++) await prepared(db.knex, sql, [1]);
    const conn = (await db.knex.client.acquireConnection()) as { query(q: string): Promise<{ rows: { statement: string }[] }> };
    try {
      // Sequential calls reuse the pool's most recently freed connection: this one.
      const mine = (await conn.query('select statement from pg_prepared_statements')).rows.filter((r) => r.statement === 'select name from gadgets where id = $1');
      expect(mine).toHaveLength(1);
    } finally {
      await db.knex.client.releaseConnection(conn);
    }
  });

  serverOnly('keeps working when a migration changes a table under a prepared select *', async () => {
    const sql = 'select * from gadgets where id = ?';
    expect((await prepared(db.knex, sql, [2])).rows[0]).toEqual({ id: 2, name: 'fan', price: 31 });
    await db.knex.raw('alter table gadgets add column colour text');
    expect((await prepared(db.knex, sql, [2])).rows[0]).toEqual({ id: 2, name: 'fan', price: 31, colour: null });
  });
});
