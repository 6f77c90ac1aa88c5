import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { AppContext } from '../app/context.js';
import { badRequest, conflict, HttpError } from '../errors.js';
import { sha256Hex } from '../security/crypto.js';
import { apiKeyOf } from './access.js';
import { idempotencyKeySchema } from './schemas/common.js';

/**
 * The turn key of a customer message sent through the API. Without an `Idempotency-Key` header
 * every request is a new message. With one, the key (scoped to the store and the endpoint) names
 * the turn, so a retried POST replays the recorded turn and answers the same result. While the
 * first request is still running, a concurrent duplicate answers 409 (a short Redis lock; without
 * Redis the lock is skipped and the turn's unique key still prevents a second recorded turn).
 */
export async function withTurnKey<T>(ctx: AppContext, req: Request, scope: string, run: (turnKey: string) => Promise<T>): Promise<T> {
  const header = req.header('idempotency-key');
  if (header === undefined) return run(`api-${randomUUID()}`);
  const parsed = idempotencyKeySchema.safeParse(header);
  if (!parsed.success) throw badRequest('invalid Idempotency-Key header: 1–200 printable ASCII characters');
  const storeId = apiKeyOf(req).storeId;
  const turnKey = `api-idem-${sha256Hex(`${scope}\n${parsed.data}`).slice(0, 40)}`;
  const lockKey = `${ctx.config.QUEUE_PREFIX}:idempotency-lock:${storeId}:${turnKey}`;
  let locked = false;
  try {
    locked = (await ctx.redis.set(lockKey, '1', 'PX', 120_000, 'NX')) === 'OK';
    if (!locked) throw conflict('a request with this Idempotency-Key is still being processed; retry shortly');
  } catch (err) {
    if (err instanceof HttpError) throw err;
    ctx.logger.warn({ storeId, err: (err as Error).message }, 'idempotency lock unavailable (Redis)');
  }
  try {
    return await run(turnKey);
  } finally {
    if (locked) await ctx.redis.del(lockKey).catch(() => {});
  }
}
