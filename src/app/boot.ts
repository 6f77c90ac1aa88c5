import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { RedisUnavailableError } from '../infra/redis.js';
import { createLogger } from '../logger.js';
import { createContext, type AppContext } from './context.js';

/**
 * Parses the configuration and builds the context, or exits with one clear message
 * (every config problem at once; Redis named by REDIS_URL).
 */
export async function boot(): Promise<{ config: Config; ctx: AppContext }> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  try {
    const ctx = await createContext(config, { logger });
    return { config, ctx };
  } catch (err) {
    if (err instanceof RedisUnavailableError) {
      logger.fatal(err.message);
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
