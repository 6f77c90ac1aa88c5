import type { AppContext } from '../app/context.js';
import { HttpError } from '../errors.js';
import { prepared } from '../db/prepared.js';
import { intakeJobId } from './event-jobs.js';

export type IngestInput = {
  storeId: string;
  source: string;
  idempotencyKey: string;
  eventType: string;
  /** The parsed domain event, stored for the worker (jobs carry ids only). */
  payload: unknown;
  job: 'inbound.process' | 'commerce.webhook';
  /** The job runs no earlier than this (a store's reply delay); the event is recorded at once. */
  delayMs?: number;
  /**
   * Record only: the caller enqueues later through `enqueue` (the IMAP poller records a whole poll
   * first, so that mail read together is seen together). A crash before that leaves a recorded
   * event without a job, which the lost-job recovery enqueues.
   */
  deferJob?: boolean;
};

export type IngestResult = {
  status: 'accepted' | 'duplicate';
  inboundEventId: string;
  /** With deferJob: enqueues the event's job (absent when it needs none). */
  enqueue?: () => Promise<void>;
};

/** Events not finished nor being processed: a redelivery enqueues them (again, harmlessly). */
const WAITING = new Set(['received', 'queued']);

/**
 * Step 1 of every channel (DESIGN "Flow of one ticket"): record the event under its unique
 * (store, source, key) as `queued`, enqueue a job whose id derives from the row, answer: one
 * commit before the acknowledgement. A redelivery of a finished or running event enqueues
 * nothing; a failed enqueue answers 503 so the vendor retries, and that retry enqueues the row.
 * A crash between the commit and the enqueue leaves a `queued` row the redelivery enqueues.
 */
export async function ingestEvent(ctx: Pick<AppContext, 'db' | 'queues' | 'logger'>, input: IngestInput): Promise<IngestResult> {
  const inserted = await prepared<{ id: string; status: string }>(
    ctx.db,
    `insert into inbound_events (store_id, source, idempotency_key, event_type, payload, status)
     values (?, ?, ?, ?, ?::jsonb, 'queued')
     on conflict (store_id, source, idempotency_key) do nothing
     returning id, status`,
    [input.storeId, input.source, withoutNul(input.idempotencyKey.slice(0, 500)), input.eventType, jsonForPostgres(input.payload)],
  );
  let row = inserted.rows[0];
  let fresh = Boolean(row);
  if (!row) {
    row = await ctx.db('inbound_events')
      .where({ store_id: input.storeId, source: input.source, idempotency_key: withoutNul(input.idempotencyKey.slice(0, 500)) })
      .first('id', 'status');
    if (!row) throw new Error('inbound event vanished after conflict');
    fresh = false;
  }
  const status = fresh ? 'accepted' : 'duplicate';
  if (!fresh && !WAITING.has(row.status)) return { status, inboundEventId: row.id };
  const inboundEventId = row.id;
  const enqueue = () => enqueueIntake(ctx, { ...input, inboundEventId });
  if (input.deferJob) return { status, inboundEventId, enqueue };
  await enqueue();
  return { status, inboundEventId };
}

async function enqueueIntake(
  ctx: Pick<AppContext, 'db' | 'queues' | 'logger'>,
  input: Pick<IngestInput, 'storeId' | 'job' | 'delayMs'> & { inboundEventId: string },
): Promise<void> {
  const { storeId, inboundEventId } = input;
  try {
    // The job id derives from the row: enqueuing again for a redelivery adds nothing while the
    // job exists, and a job that runs after the event finished finds nothing to do.
    await ctx.queues.enqueue(input.job, { storeId, inboundEventId }, { jobId: intakeJobId(inboundEventId), delayMs: input.delayMs || undefined });
  } catch (err) {
    ctx.logger.warn({ storeId, inboundEventId, err: (err as Error).message }, 'enqueue failed');
    // Shows that no job holds it; the vendor's retry (or a redelivery) enqueues it either way.
    await ctx.db('inbound_events').where({ id: inboundEventId, status: 'queued' }).update({ status: 'received' }).catch(() => {});
    throw new HttpError(503, 'queue unavailable, retry later', undefined, { 'Retry-After': '5' });
  }
}

/** Keeps a signed but unusable delivery (dead letter) so nothing that arrived is lost. */
export async function recordDeadLetter(
  ctx: Pick<AppContext, 'db'>,
  input: { storeId: string; source: string; idempotencyKey: string; eventType: string; error: string; raw: string },
): Promise<void> {
  await ctx.db('inbound_events')
    .insert({
      store_id: input.storeId,
      source: input.source,
      idempotency_key: withoutNul(input.idempotencyKey.slice(0, 500)),
      event_type: input.eventType,
      payload: jsonForPostgres({ raw: input.raw.slice(0, 100_000) }),
      status: 'dead',
      error: withoutNul(input.error.slice(0, 2000)),
    })
    .onConflict(['store_id', 'source', 'idempotency_key'])
    .ignore();
}

/**
 * Postgres text and jsonb cannot hold U+0000, which a vendor payload (or garbage posted to a
 * webhook) may contain: it is replaced by U+FFFD so the event is still recorded instead of the
 * insert failing with a 500 the vendor would retry forever.
 */
export function jsonForPostgres(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' ? withoutNul(v) : v));
}

function withoutNul(s: string): string {
  return s.includes('\u0000') ? s.replace(/\u0000/g, '\uFFFD') : s;
}
