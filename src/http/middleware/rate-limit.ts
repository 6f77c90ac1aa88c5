import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { HttpError } from '../../errors.js';
import type { Logger } from '../../logger.js';

export type RateLimitOptions = {
  redis: Redis;
  /** Key namespace (the install's QUEUE_PREFIX), so installs sharing a Redis never share counters. */
  prefix: string;
  limitPerMinute: number;
  logger: Logger;
  /** Injectable clock (ms). @defaultValue Date.now */
  now?: () => number;
};

const WINDOW_MS = 60_000;
const WARN_EVERY_MS = 10_000;

/**
 * Per-API-key fixed window of one minute, counted in Redis (shared by every web process): the
 * N+1th request of a minute answers 429 with `Retry-After` (seconds to the next window). Runs
 * after requireApiKey. When Redis does not answer the request is let through with a warning
 * (fail open): an outage of the limiter must not take the API down with it.
 */
export function rateLimitPerKey(opts: RateLimitOptions): RequestHandler {
  const now = opts.now ?? Date.now;
  let lastWarn = 0;
  return async (req, res, next) => {
    const keyId = req.apiKey?.id;
    if (!keyId) return next();
    const t = now();
    const window = Math.floor(t / WINDOW_MS);
    const redisKey = `${opts.prefix}:ratelimit:${keyId}:${window}`;
    let count: number;
    try {
      const out = await opts.redis.multi().incr(redisKey).pexpire(redisKey, WINDOW_MS * 2).exec();
      const [err, value] = out?.[0] ?? [new Error('no reply'), null];
      if (err) throw err;
      count = Number(value);
    } catch (err) {
      if (t - lastWarn > WARN_EVERY_MS) {
        lastWarn = t;
        opts.logger.warn({ err: (err as Error).message }, 'rate limiter unavailable (Redis): letting requests through');
      }
      return next();
    }
    const resetS = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - t) / 1000));
    res.setHeader('RateLimit-Limit', String(opts.limitPerMinute));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, opts.limitPerMinute - count)));
    res.setHeader('RateLimit-Reset', String(resetS));
    if (count > opts.limitPerMinute) {
      return next(
        new HttpError(429, `rate limit exceeded: ${opts.limitPerMinute} requests per minute for this API key`, undefined, {
          'Retry-After': String(resetS),
        }),
      );
    }
    next();
  };
}
