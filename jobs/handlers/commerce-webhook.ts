/**
 * Job `commerce.webhook`: applies one recorded Shopify webhook (src/commerce/commerce-webhooks.ts)
 * and keeps the inbound event's status: processed/skipped when done; on a permanent error or the
 * last attempt, `dead` with the error (kept for a person, never dropped); otherwise the error is
 * noted and rethrown so the job retries.
 */
import type { Job } from 'bullmq';
import type { AppContext } from '../../src/app/context.js';
import { applyCommerceWebhook, type CommerceWebhookPayload } from '../../src/commerce/commerce-webhooks.js';
import { isDatabaseUnavailable } from '../../src/db/unavailable.js';
import { PermanentError } from '../../src/errors.js';

export function commerceWebhookHandler(ctx: Pick<AppContext, 'db' | 'logger'>) {
  const log = ctx.logger.child({ component: 'commerce-webhook' });
  return async (data: { storeId: string; inboundEventId: string }, job?: Job) => {
    const ev = await ctx.db('inbound_events').where({ id: data.inboundEventId, store_id: data.storeId }).first('id', 'status', 'payload');
    // Gone: the shop was redacted (its events cascade) after this job was queued.
    if (!ev) return { skipped: 'event not found' };
    if (ev.status === 'processed' || ev.status === 'skipped') return { skipped: 'already processed' };
    await ctx.db('inbound_events').where({ id: ev.id }).update({ status: 'processing', claimed_at: ctx.db.fn.now() }).increment('attempts', 1);
    const payload = (typeof ev.payload === 'string' ? JSON.parse(ev.payload) : ev.payload) as CommerceWebhookPayload;
    try {
      const outcome = await applyCommerceWebhook(ctx.db, data.storeId, ev.id, payload, (o, m) => log.info(o, m));
      await ctx.db('inbound_events')
        .where({ id: ev.id })
        .update({ status: outcome.skipped ? 'skipped' : 'processed', skip_reason: outcome.skipped ?? null, error: null, processed_at: new Date() });
      log.info({ storeId: data.storeId, inboundEventId: ev.id, topic: payload.topic, done: outcome.done }, 'commerce webhook applied');
      return outcome;
    } catch (err) {
      // A database outage is not the event's failure: the job waits for the database (jobs/workers.ts).
      if (isDatabaseUnavailable(err)) throw err;
      const message = (err as Error).message?.slice(0, 2000) ?? 'error';
      const final = err instanceof PermanentError || (job ? job.attemptsMade + 1 >= (job.opts.attempts ?? 1) : false);
      await ctx.db('inbound_events').where({ id: ev.id }).update({ status: final ? 'dead' : 'queued', error: message });
      throw err;
    }
  };
}
