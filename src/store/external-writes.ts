import type { Knex } from 'knex';
import { prepared } from '../db/prepared.js';

export type WriteSpec<R extends { externalId?: string }> = {
  storeId: string;
  idempotencyKey: string;
  target: string;
  operation: string;
  /** Performs the vendor call. */
  execute: () => Promise<R>;
  /**
   * Called instead of execute when an earlier attempt recorded the write but never marked it
   * sent (a crash in between): returns the write if the vendor already has it.
   */
  reconcile?: () => Promise<{ externalId: string } | null>;
};

export type WriteOutcome<R> = { status: 'sent'; result: R | { externalId: string | null }; replayed: boolean };

/**
 * Exactly-once external writes. 1. Record the key (unique per store) and the attempt before the
 * call. 2. If it was already sent, return the stored result without calling. 3. If a previous
 * attempt may have called (recorded, attempts > 0), ask the vendor (reconcile) before calling
 * again. 4. Call, then mark sent. A thrown error leaves it recorded with the error, for the retry.
 * `attempts` counts the calls made (or maybe made), not the reconciliations.
 */
export async function performOnce<R extends { externalId?: string }>(
  db: Knex,
  spec: WriteSpec<R>,
): Promise<WriteOutcome<R>> {
  // One statement on the usual path: a fresh key is recorded with its first attempt already
  // counted (nothing can fail between here and the call); an existing key comes back unchanged.
  const res = await prepared<{ id: string; status: string; attempts: number; external_id: string | null; response: unknown; inserted: boolean }>(
    db,
    `insert into external_writes (store_id, idempotency_key, target, operation, attempts)
     values (?, ?, ?, ?, 1)
     on conflict (store_id, idempotency_key) do update set attempts = external_writes.attempts
     returning id, status, attempts, external_id, response, (xmax = 0) as inserted`,
    [spec.storeId, spec.idempotencyKey, spec.target, spec.operation],
  );
  const row = res.rows[0]!;
  if (!row.inserted) {
    if (row.status === 'sent') {
      return { status: 'sent', result: (row.response as R) ?? { externalId: row.external_id }, replayed: true };
    }
    if (row.attempts > 0 && spec.reconcile) {
      const found = await spec.reconcile();
      if (found) {
        await markSent(db, row.id, found.externalId, found);
        return { status: 'sent', result: found, replayed: true };
      }
    }
    await db('external_writes').where({ id: row.id }).increment('attempts', 1).update({ updated_at: db.fn.now() });
  }
  try {
    const result = await spec.execute();
    await markSent(db, row.id, result.externalId ?? null, result);
    return { status: 'sent', result, replayed: false };
  } catch (err) {
    await db('external_writes')
      .where({ id: row.id })
      .update({ error: (err as Error).message?.slice(0, 2000) ?? 'error', updated_at: db.fn.now() });
    throw err;
  }
}

async function markSent(db: Knex, id: string, externalId: string | null, response: unknown): Promise<void> {
  await prepared(
    db,
    `update external_writes set status = 'sent', external_id = ?, response = ?::jsonb, error = null, updated_at = now() where id = ?`,
    [externalId, JSON.stringify(response ?? null), id],
  );
}

/** True when the write under this key was already sent. */
export async function wasSent(db: Knex, storeId: string, idempotencyKey: string): Promise<boolean> {
  const row = await db('external_writes').where({ store_id: storeId, idempotency_key: idempotencyKey }).first('status');
  return row?.status === 'sent';
}
