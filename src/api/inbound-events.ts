import { Router } from 'express';
import type { Knex } from 'knex';
import type { AppContext } from '../app/context.js';
import { conflict, HttpError, notFound } from '../errors.js';
import { jobFor, REPLAY_JOB_ID_SQL } from '../ingest/event-jobs.js';
import { RATE_LIMITED_ERROR_PREFIX, READABLE_EVENT_SQL, UNFINISHED_STATUSES } from '../ingest/statuses.js';
import { storeAccess } from './access.js';
import { iso, isoOrNull, num } from './row-values.js';
import { inboundEventParams, inboundEventsQuery } from './schemas/inbound-events.js';

/**
 * Deliveries that did not get through: a ticket whose processing ran out of retries (a helpdesk
 * outage longer than the backoff) or was refused by the vendor (an expired token) is kept as a
 * dead event. Here a support lead sees them and, once the cause is fixed, sends them through the
 * pipeline again. The replay is as safe as any retry: replies and store actions are recorded
 * before they are made, so nothing already sent is sent twice.
 */
export function inboundEventsRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/stores/:storeId/inbound-events', ...storeAccess(ctx, 'read'), async (req, res) => {
    const q = inboundEventsQuery.parse(req.query);
    const rows = await ctx.db('inbound_events')
      .where({ store_id: req.params.storeId, status: q.status })
      .orderBy('received_at', 'desc')
      .limit(q.limit)
      .select('id', 'source', 'event_type', 'status', 'attempts', 'error', 'skip_reason', 'conversation_id', 'received_at', 'processed_at', ctx.db.raw(`${READABLE_EVENT_SQL} as retryable`), ctx.db.raw(`payload ->> 'externalTicketId' as ticket_id`));
    res.json({
      data: rows.map((r) => ({
        id: r.id,
        source: r.source,
        event_type: r.event_type,
        ticket_id: r.ticket_id ?? null,
        status: r.status,
        attempts: Number(r.attempts),
        error: r.error ?? null,
        skip_reason: r.skip_reason ?? null,
        retryable: r.status === 'dead' && Boolean(r.retryable),
        conversation_id: r.conversation_id ?? null,
        received_at: iso(r.received_at),
        processed_at: isoOrNull(r.processed_at),
      })),
    });
  });

  // Cheap on any history size: it reads the partial index of unfinished events only.
  router.get('/stores/:storeId/inbound-events/summary', ...storeAccess(ctx, 'read'), async (req, res) => {
    const row = await ctx.db('inbound_events')
      .where({ store_id: req.params.storeId })
      .whereIn('status', UNFINISHED_STATUSES)
      .first(
        ctx.db.raw(`count(*) filter (where status <> 'dead') as pending`),
        ctx.db.raw(`count(*) filter (where status = 'dead') as dead`),
        ctx.db.raw(`count(*) filter (where status <> 'dead' and starts_with(error, ?)) as rate_limited`, [RATE_LIMITED_ERROR_PREFIX]),
        ctx.db.raw(`extract(epoch from now() - min(received_at) filter (where status <> 'dead')) as oldest_s`),
      );
    const oldest = num(row?.oldest_s);
    res.json({
      pending: Number(row?.pending ?? 0),
      oldest_pending_s: oldest === null ? null : Math.max(0, Math.round(oldest)),
      dead: Number(row?.dead ?? 0),
      rate_limited: Number(row?.rate_limited ?? 0),
    });
  });

  router.post('/stores/:storeId/inbound-events/:eventId/retry', ...storeAccess(ctx, 'write'), async (req, res) => {
    const { eventId } = inboundEventParams.parse(req.params);
    const storeId = req.params.storeId as string;
    const requeued = await requeue(ctx, ctx.db('inbound_events').where({ store_id: storeId, id: eventId }));
    if (requeued === 0) {
      const row = await ctx.db('inbound_events').where({ store_id: storeId, id: eventId }).first('status');
      if (!row) throw notFound('inbound event not found');
      if (row.status === 'dead') throw conflict('this delivery could not be read when it arrived; it is kept for inspection only');
      throw conflict(`the event is ${row.status}, not dead`);
    }
    res.status(202).json({ id: eventId, status: 'queued' });
  });

  router.post('/stores/:storeId/inbound-events/retry-dead', ...storeAccess(ctx, 'write'), async (req, res) => {
    const ids = ctx.db('inbound_events')
      .where({ store_id: req.params.storeId, status: 'dead' })
      .orderBy('received_at')
      .limit(RETRY_ALL_LIMIT)
      .select('id');
    const queued = await requeue(ctx, ctx.db('inbound_events').where({ store_id: req.params.storeId }).whereIn('id', ids));
    res.status(202).json({ queued });
  });
  return router;
}

/** One call requeues at most this many (a long outage's worth); call again for more. */
const RETRY_ALL_LIMIT = 1000;

/**
 * Moves the matching dead, readable events back to `queued` (one statement, so a double click
 * requeues once) and enqueues their jobs under a replay id (REPLAY_JOB_ID_SQL).
 */
async function requeue(ctx: Pick<AppContext, 'queues' | 'db'>, scope: Knex.QueryBuilder): Promise<number> {
  // The job id is kept on the row, so the lost-job recovery can tell whether this job still exists.
  const rows: { id: string; store_id: string; source: string; job_id: string }[] = await scope
    .where({ status: 'dead' })
    .whereRaw(READABLE_EVENT_SQL)
    .update({ status: 'queued', error: null, job_id: ctx.db.raw(REPLAY_JOB_ID_SQL) }, ['id', 'store_id', 'source', 'job_id']);
  for (const [i, row] of rows.entries()) {
    try {
      await ctx.queues.enqueue(jobFor(row.source), { storeId: row.store_id, inboundEventId: row.id }, { jobId: row.job_id });
    } catch {
      // Those not enqueued go back to dead, so the next retry finds them again.
      await ctx.db('inbound_events').whereIn('id', rows.slice(i).map((r) => r.id)).where({ status: 'queued' }).update({ status: 'dead', error: 'retry not queued: queue unavailable' });
      throw new HttpError(503, 'queue unavailable, retry later', undefined, { 'Retry-After': '5' });
    }
  }
  return rows.length;
}
