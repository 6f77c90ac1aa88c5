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
  /**
   * The key's ledger row, when the caller has just recorded it with its first attempt counted in a
   * statement of its own (recordTurn does for the turn's reply): the call goes ahead without a
   * round trip to record it again.
   */
  recordedId?: string | null;
  /** The caller's bookkeeping for a sent write, made in the statement that marks it sent. */
  sentAlso?: SentAlso;
};

/** Data-modifying CTEs (`name as (update …)`, `?` placeholders) and their bindings. */
export type SqlParts = { ctes: string[]; bindings: Knex.Value[] };
export type SentAlso = (externalId: string | null) => SqlParts;

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
  const id = spec.recordedId ?? (await recordAttempt(db, spec));
  if (typeof id !== 'string') return id;
  try {
    const result = await spec.execute();
    await markSent(db, id, result.externalId ?? null, result, spec.sentAlso);
    return { status: 'sent', result, replayed: false };
  } catch (err) {
    await db('external_writes')
      .where({ id })
      .update({ error: (err as Error).message?.slice(0, 2000) ?? 'error', updated_at: db.fn.now() });
    throw err;
  }
}

/**
 * Steps 1–3: the ledger row's id when the call is to be made (its attempt counted), or the outcome
 * when it was already sent (the caller's bookkeeping made again: it is idempotent, and a row sent
 * before that bookkeeping joined the same statement may lack it).
 */
async function recordAttempt<R extends { externalId?: string }>(db: Knex, spec: WriteSpec<R>): Promise<string | WriteOutcome<R>> {
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
  if (row.inserted) return row.id;
  if (row.status === 'sent') {
    if (spec.sentAlso) await runParts(db, spec.sentAlso(row.external_id));
    return { status: 'sent', result: (row.response as R) ?? { externalId: row.external_id }, replayed: true };
  }
  if (row.attempts > 0 && spec.reconcile) {
    const found = await spec.reconcile();
    if (found) {
      await markSent(db, row.id, found.externalId, found, spec.sentAlso);
      return { status: 'sent', result: found, replayed: true };
    }
  }
  await db('external_writes').where({ id: row.id }).increment('attempts', 1).update({ updated_at: db.fn.now() });
  return row.id;
}

async function markSent(db: Knex, id: string, externalId: string | null, response: unknown, also?: SentAlso): Promise<void> {
  const parts = also?.(externalId) ?? { ctes: [], bindings: [] };
  await prepared(
    db,
    `${withClause(parts)}update external_writes set status = 'sent', external_id = ?, response = ?::jsonb, error = null, updated_at = now() where id = ?`,
    [...parts.bindings, externalId, JSON.stringify(response ?? null), id],
  );
}

/** The parts alone, in one statement (Postgres runs a data-modifying CTE whether or not it is read). */
export async function runParts(db: Knex, parts: SqlParts): Promise<void> {
  if (parts.ctes.length) await prepared(db, `${withClause(parts)}select 1`, parts.bindings);
}

const withClause = (parts: SqlParts) => (parts.ctes.length ? `with ${parts.ctes.join(', ')} ` : '');

/** True when the write under this key was already sent. */
export async function wasSent(db: Knex, storeId: string, idempotencyKey: string): Promise<boolean> {
  const row = await db('external_writes').where({ store_id: storeId, idempotency_key: idempotencyKey }).first('status');
  return row?.status === 'sent';
}
