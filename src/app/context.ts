import { join } from 'node:path';
import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import { jobCatalog } from '../../jobs/catalog.js';
import { createQueues, type Queues } from '../../jobs/queues.js';
import type { Config } from '../config/index.js';
import { connectDb, type DbKind } from '../db/connect.js';
import { connectRedis, createRedis } from '../infra/redis.js';
import { createLogger, type Logger } from '../logger.js';
import { loadOrCreateDevKey, parseKey } from '../security/crypto.js';

/** Everything a process shares: built once at start, passed down, closed on shutdown. */
export type AppContext = {
  config: Config;
  logger: Logger;
  db: Knex;
  dbKind: DbKind;
  /** Fails fast while Redis is away; for intake, rate limits and health. */
  redis: Redis;
  queues: Queues<typeof jobCatalog>;
  encryptionKey: Buffer;
  close(): Promise<void>;
};

export type ContextOverrides = { logger?: Logger; searchPath?: string };

export async function createContext(config: Config, overrides: ContextOverrides = {}): Promise<AppContext> {
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  // Redis first: it fails in milliseconds, PGlite takes seconds to start.
  const redis = createRedis(config.REDIS_URL, 'producer');
  await connectRedis(redis, config.REDIS_URL);
  let db: Awaited<ReturnType<typeof connectDb>>;
  try {
    db = await connectDb({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      poolMax: config.DATABASE_POOL_MAX,
      searchPath: overrides.searchPath,
      preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
    });
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  const queues = createQueues(jobCatalog, redis, config.QUEUE_PREFIX);
  await queues.ready();
  const encryptionKey = config.ENCRYPTION_KEY
    ? parseKey(config.ENCRYPTION_KEY)
    : loadOrCreateDevKey(join(config.DATA_DIR.startsWith('memory://') ? './data' : config.DATA_DIR, '..', 'dev-encryption.key'));
  return {
    config,
    logger,
    db: db.knex,
    dbKind: db.kind,
    redis,
    queues,
    encryptionKey,
    async close() {
      await queues.close().catch(() => {});
      redis.disconnect();
      await db.close();
    },
  };
}
