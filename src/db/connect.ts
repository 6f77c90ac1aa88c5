import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { enablePreparedStatements } from './prepared.js';

export type Db = Knex;
export type DbKind = 'pglite' | 'pg';

export type DbHandle = {
  knex: Knex;
  kind: DbKind;
  close(): Promise<void>;
};

// Return NUMERIC and BIGINT as JS numbers: amounts fit a double, and counts never reach 2^53.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type ConnectOptions = {
  databaseUrl?: string;
  /** Directory for PGlite files; `memory://` keeps everything in memory (tests). */
  dataDir: string;
  poolMax?: number;
  /** Postgres schema to use (tests isolate each file in its own schema on a shared server). */
  searchPath?: string;
  /** Server-side prepared statements for the hot queries (Postgres server only). @defaultValue true */
  preparedStatements?: boolean;
};

const CONNECT_TIMEOUT_MS = 5000;

/**
 * One knex instance for both back ends. PGlite is Postgres in WASM with the pgvector extension,
 * a single connection; a server gets a pool.
 */
export async function connectDb(opts: ConnectOptions): Promise<DbHandle> {
  if (opts.databaseUrl) {
    const knex = knexFactory({
      client: 'pg',
      // Bounded waits: with the server down or the pool exhausted, a webhook must get its 503
      // well inside the vendor's delivery timeout (Zendesk: 10 s), not hang for knex's 60 s.
      connection: { connectionString: opts.databaseUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS },
      acquireConnectionTimeout: CONNECT_TIMEOUT_MS,
      pool: { min: 0, max: opts.poolMax ?? 20 },
      searchPath: opts.searchPath ? [opts.searchPath] : undefined,
    });
    if (opts.preparedStatements !== false) enablePreparedStatements(knex);
    return { knex, kind: 'pg', close: () => knex.destroy() };
  }
  const { PGlite, types } = await import('@electric-sql/pglite');
  const { vector } = await import('@electric-sql/pglite-pgvector');
  const { default: ClientPgLite } = await import('knex-pglite');
  const dataDir = opts.dataDir.startsWith('memory://') ? opts.dataDir : resolve(opts.dataDir);
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({
    dataDir,
    extensions: { vector },
    parsers: {
      [types.NUMERIC]: (v: string) => Number(v),
      [types.INT8]: (v: string) => Number(v),
    },
  });
  const knex = knexFactory({
    client: ClientPgLite as unknown as typeof Knex.Client,
    dialect: 'postgres',
    connection: () => ({ pglite }) as object,
    searchPath: opts.searchPath ? [opts.searchPath] : undefined,
  } as Knex.Config);
  return {
    knex,
    kind: 'pglite',
    close: async () => {
      await knex.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

/** True when `select 1` answers within the timeout. */
export async function pingDb(knex: Knex, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      knex.raw('select 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
