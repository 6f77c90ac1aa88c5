import { Redis, type RedisOptions } from 'ioredis';

export type RedisRole = 'producer' | 'worker' | 'general';

/**
 * Producer connections fail fast while Redis is away (no offline queue), so intake can answer
 * 503 at once; worker connections wait forever (BullMQ requires maxRetriesPerRequest: null).
 */
export function createRedis(url: string, role: RedisRole): Redis {
  const base: RedisOptions = {
    lazyConnect: true,
    connectTimeout: 3000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  };
  const byRole: Record<RedisRole, RedisOptions> = {
    // commandTimeout: a Redis that stops answering without closing the socket must not hang intake.
    producer: { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000 },
    worker: { maxRetriesPerRequest: null, enableReadyCheck: false },
    general: { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000 },
  };
  const client = new Redis(url, { ...base, ...byRole[role] });
  client.on('error', () => {}); // state is observed through ping/commands, not log floods
  return client;
}

export class RedisUnavailableError extends Error {
  constructor(url: string, cause: unknown) {
    super(
      `Redis does not answer at REDIS_URL (${redactUrl(url)}): ${cause instanceof Error ? cause.message : String(cause)}. ` +
        'Start Redis (e.g. `redis-server`) or set REDIS_URL.',
    );
    this.name = 'RedisUnavailableError';
  }
}

/** Connects and pings, or throws an error that names REDIS_URL. */
export async function connectRedis(client: Redis, url: string, timeoutMs = 5000): Promise<void> {
  try {
    await withTimeout(client.connect(), timeoutMs);
    await withTimeout(client.ping(), timeoutMs);
  } catch (err) {
    client.disconnect();
    throw new RedisUnavailableError(url, err);
  }
}

export async function pingRedis(client: Redis, timeoutMs = 1000): Promise<boolean> {
  try {
    return (await withTimeout(client.ping(), timeoutMs)) === 'PONG';
  } catch {
    return false;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Hides a password in a redis:// URL before it reaches a message. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'invalid URL';
  }
}
