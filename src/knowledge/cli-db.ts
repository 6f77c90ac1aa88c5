import { pino } from 'pino';
import { bootstrapDemoStore, demoDataDir, DEMO_SLUG } from '../bootstrap/demo-store.js';
import type { Config } from '../config/index.js';
import { connectDb, type DbHandle } from '../db/connect.js';
import { migrateLatest } from '../db/migrate.js';
import { REDACT_PATHS, type Logger } from '../logger.js';
import { findStore, type Store } from '../store/stores.js';
import { ArgsError } from '../cli/args.js';

/** CLI logs go to stderr, so stdout carries only the command's result (JSON reports). */
export function cliLogger(level = 'warn'): Logger {
  return pino({ level, base: { service: 'helpdesk-bot' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, pino.destination(2));
}

export type CliDb = { db: DbHandle; store: Store; source: 'database' | 'memory' };

/**
 * The eval's database: the one at --database-url / DATABASE_URL when given (its store must
 * exist), else a fresh in-memory PGlite with the demo store loaded. Never the embedded
 * ./data/pglite: a running `npm start` holds it and PGlite cannot share it between processes.
 */
export async function openEvalDb(opts: { databaseUrl?: string; store: string; logger: Logger }): Promise<CliDb> {
  if (opts.databaseUrl) {
    const db = await connectDb({ databaseUrl: opts.databaseUrl, dataDir: '', poolMax: 4 });
    const store = await findStore(db.knex, opts.store).catch(async (err: Error) => {
      await db.close();
      throw new ArgsError(`cannot read stores from the database (migrated? started once?): ${err.message}`);
    });
    if (!store) {
      await db.close();
      throw new ArgsError(`store "${opts.store}" not found in the database`);
    }
    return { db, store, source: 'database' };
  }
  if (opts.store !== DEMO_SLUG) {
    throw new ArgsError(`without --database-url only the demo store is available (got --store ${opts.store})`);
  }
  const db = await connectDb({ dataDir: 'memory://' });
  await migrateLatest(db.knex);
  const { store } = await bootstrapDemoStore(db.knex, { dataDir: demoDataDir(), logger: opts.logger });
  return { db, store, source: 'memory' };
}

/**
 * The configured database for writes (knowledge:import): DATABASE_URL, or the embedded PGlite
 * under DATA_DIR, migrated, with the demo store created when enabled and missing. Refuses the
 * embedded database while a local server answers on PORT (it holds the files).
 */
export async function openConfiguredDb(
  config: Config,
  opts: { databaseUrl?: string; store: string; logger: Logger },
): Promise<{ db: DbHandle; store: Store }> {
  const databaseUrl = opts.databaseUrl ?? config.DATABASE_URL;
  if (!databaseUrl && (await localServerAnswers(config.PORT))) {
    throw new ArgsError(
      `a server on port ${config.PORT} is using the embedded database; import through its API ` +
        '(POST /api/v1/stores/{id}/knowledge) or stop it first',
    );
  }
  const db = await connectDb({ databaseUrl, dataDir: config.DATA_DIR, poolMax: 4 });
  try {
    await migrateLatest(db.knex, opts.logger);
    if (opts.store === DEMO_SLUG && config.DEMO_STORE) {
      const demo = await bootstrapDemoStore(db.knex, {
        dataDir: demoDataDir(),
        bootstrapApiKey: config.BOOTSTRAP_API_KEY,
        logger: opts.logger,
      });
      if (demo.printedKey) process.stderr.write(`\nDemo store API key (shown once, keep it): ${demo.printedKey}\n\n`);
    }
    const store = await findStore(db.knex, opts.store);
    if (!store) throw new ArgsError(`store "${opts.store}" not found`);
    return { db, store };
  } catch (err) {
    await db.close();
    throw err;
  }
}

async function localServerAnswers(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(500) });
    return res.status > 0;
  } catch {
    return false;
  }
}
