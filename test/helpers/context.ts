import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../src/app/context.js';
import { jobCatalog } from '../../jobs/catalog.js';
import { createQueues } from '../../jobs/queues.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { connectRedis, createRedis } from '../../src/infra/redis.js';
import { createLogger } from '../../src/logger.js';
import type { TestDb } from './db.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_ENCRYPTION_KEY = 'a'.repeat(64);

/** A config for tests: unique queue prefix (so parallel files never share jobs), quiet logs. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `test-${randomBytes(5).toString('hex')}`,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    DATA_DIR: 'memory://',
    ...env,
  });
}

/**
 * A real AppContext on a test database and the real Redis. close() removes this context's
 * queue keys and disconnects; the database is closed by its owner.
 */
export async function createTestContext(db: TestDb, env: Record<string, string> = {}): Promise<AppContext> {
  const config = testConfig(env);
  const logger = createLogger(config.LOG_LEVEL);
  const redis = createRedis(config.REDIS_URL, 'producer');
  await connectRedis(redis, config.REDIS_URL);
  const queues = createQueues(jobCatalog, redis, config.QUEUE_PREFIX);
  await queues.ready();
  return {
    config,
    logger,
    db: db.knex,
    dbKind: db.kind,
    redis,
    queues,
    encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, 'hex'),
    async close() {
      await queues.close().catch(() => {});
      await deleteKeys(redis, `${config.QUEUE_PREFIX}:*`).catch(() => {});
      redis.disconnect();
    },
  };
}

async function deleteKeys(redis: AppContext['redis'], pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}
