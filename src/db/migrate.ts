import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import type { Logger } from '../logger.js';

type Migration = { up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };

// src/db → <root>/migrations when run from source; dist/src/db → dist/migrations when compiled.
const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

/**
 * Reads migrations from the folder with dynamic import, so the same list works under tsx (.ts)
 * and compiled (.js). Names are stored without extension so both agree on what already ran.
 */
class FolderMigrationSource implements Knex.MigrationSource<string> {
  constructor(private readonly dir: string) {}
  async getMigrations(): Promise<string[]> {
    return readdirSync(this.dir)
      .filter((f) => /^\d{14}_[\w-]+\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
      .sort();
  }
  getMigrationName(file: string): string {
    return file.replace(/\.(ts|js)$/, '');
  }
  async getMigration(file: string): Promise<Migration> {
    return (await import(pathToFileURL(join(this.dir, file)).href)) as Migration;
  }
}

const migrationConfig = (): Knex.MigratorConfig => ({
  migrationSource: new FolderMigrationSource(MIGRATIONS_DIR),
  tableName: 'knex_migrations',
});

/** Brings the schema up to date. Logs one warning when pgvector is missing. */
export async function migrateLatest(knex: Knex, logger?: Logger): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(migrationConfig())) as [number, string[]];
  if (logger) {
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
    if (!(await hasVectorColumn(knex))) {
      logger.warn(
        'the Postgres server has no "vector" extension: knowledge retrieval will use full-text search only',
      );
    }
  }
  return applied;
}

/** Rolls every migration back (tests, and `npm run migrate -- --down`). */
export async function migrateRollbackAll(knex: Knex): Promise<void> {
  await knex.migrate.rollback(migrationConfig(), true);
}

export async function hasVectorColumn(knex: Knex): Promise<boolean> {
  const r = await knex.raw(
    `select 1 from information_schema.columns
      where table_schema = current_schema() and table_name = 'policy_chunks' and column_name = 'embedding'`,
  );
  return r.rows.length > 0;
}
