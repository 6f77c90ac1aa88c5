import type { AppContext } from '../../src/app/context.js';
import { jobCatalog } from '../../jobs/catalog.js';
import { findStore } from '../../src/store/stores.js';
import { resolveEmailSettings } from './email.config.js';
import { pollMailbox, type PollResult } from './email.imap-poller.js';

const SCHEDULER_PREFIX = 'email-poll-';

/**
 * One repeatable `email.poll` job per store with an IMAP mailbox (the demo store's from IMAP_*,
 * others' from their email credentials), every pollSeconds. Schedulers of stores that no longer
 * have a mailbox are removed. Call at worker start (and after a store's email settings change).
 */
export async function scheduleEmailPolling(
  ctx: Pick<AppContext, 'db' | 'config' | 'encryptionKey' | 'queues' | 'logger'>,
): Promise<{ storeIds: string[] }> {
  const withCreds = await ctx.db('connector_credentials').where({ kind: 'email' }).pluck('store_id');
  const candidates = await ctx.db('stores')
    .where({ status: 'active' })
    .andWhere((q) => q.whereIn('id', withCreds).orWhere({ slug: 'demo' }))
    .select('id', 'slug', 'name');
  const queue = ctx.queues.queue('email.poll');
  const spec = jobCatalog['email.poll'];
  const scheduled: string[] = [];
  for (const store of candidates) {
    const settings = await resolveEmailSettings(ctx, store);
    if (!settings.imap) continue;
    await queue.upsertJobScheduler(
      `${SCHEDULER_PREFIX}${store.id}`,
      { every: settings.imap.pollSeconds * 1000 },
      {
        name: 'email.poll',
        data: { storeId: store.id },
        opts: {
          attempts: spec.attempts,
          backoff: { type: 'vendor-aware', delay: spec.backoffMs },
          removeOnComplete: { count: 100 },
          removeOnFail: { count: 500 },
        },
      },
    );
    scheduled.push(store.id);
  }
  for (const existing of await queue.getJobSchedulers()) {
    const id = existing.key;
    if (id.startsWith(SCHEDULER_PREFIX) && !scheduled.includes(id.slice(SCHEDULER_PREFIX.length))) {
      await queue.removeJobScheduler(id);
    }
  }
  ctx.logger.info({ stores: scheduled.length }, 'email polling scheduled');
  return { storeIds: scheduled };
}

/** The `email.poll` job: one poll of the store's mailbox; a store without one is skipped. */
export async function runEmailPoll(
  ctx: Pick<AppContext, 'db' | 'config' | 'encryptionKey' | 'queues' | 'logger'>,
  data: { storeId: string; mailbox?: string },
): Promise<PollResult | { skipped: string }> {
  const store = await findStore(ctx.db, data.storeId);
  if (!store || store.status !== 'active') return { skipped: 'store not active' };
  const settings = await resolveEmailSettings(ctx, store);
  if (!settings.imap) return { skipped: 'no IMAP mailbox configured' };
  return pollMailbox(ctx, { storeId: store.id, settings, mailbox: data.mailbox, replyDelayS: store.settings.reply_delay_s });
}
