/**
 * A private database for one bench run: embedded PGlite in the run's temp dir, or on the Postgres
 * server at DATABASE_URL a fresh database (so its backends can be told apart and their CPU
 * measured), or, without the right to create one, a fresh schema selected through the
 * connection's search_path. Dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';

export type BenchDatabase = {
  kind: 'pglite' | 'postgres';
  /** Env for the app processes (DATABASE_URL or DATA_DIR). */
  env: Record<string, string>;
  /** Postgres only: runs one query in the run's database. */
  query?: (sql: string) => Promise<Record<string, unknown>[]>;
  /** Postgres only: pids of the server processes serving the run's database (null: not known). */
  backendPids?: () => Promise<number[] | null>;
  drop(): Promise<void>;
};

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function prepareDatabase(opts: { databaseUrl?: string; tmpDir: string }): Promise<BenchDatabase> {
  if (!opts.databaseUrl) {
    return { kind: 'pglite', env: { DATA_DIR: join(opts.tmpDir, 'pglite') }, drop: async () => {} };
  }
  const admin = opts.databaseUrl;
  const name = `bench_${randomBytes(5).toString('hex')}`;
  const url = new URL(admin);
  let dropSql: string;
  let ownDatabase = true;
  try {
    await withClient(admin, (c) => c.query(`create database "${name}"`));
    url.pathname = `/${name}`;
    dropSql = `drop database if exists "${name}" with (force)`;
  } catch {
    ownDatabase = false;
    await withClient(admin, (c) => c.query(`create schema "${name}"`));
    url.searchParams.set('options', `-c search_path=${name}`);
    dropSql = `drop schema if exists "${name}" cascade`;
  }
  const runUrl = url.toString();
  return {
    kind: 'postgres',
    env: { DATABASE_URL: runUrl },
    query: (sql) => withClient(runUrl, async (c) => (await c.query(sql)).rows as Record<string, unknown>[]),
    backendPids: async () => {
      if (!ownDatabase) return null;
      return withClient(admin, async (c) => {
        const r = await c.query('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
        return r.rows.map((row: { pid: number }) => Number(row.pid));
      });
    },
    drop: () => withClient(admin, (c) => c.query(dropSql)).then(() => {}),
  };
}
