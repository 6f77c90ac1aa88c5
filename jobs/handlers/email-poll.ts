import type { AppContext } from '../../src/app/context.js';
import { runEmailPoll } from '../../connectors/email/email.schedule.js';
import type { jobCatalog } from '../catalog.js';
import type { JobHandler } from '../workers.js';

/** `email.poll`: one poll of a store's IMAP mailbox (scheduled by scheduleEmailPolling). */
export function emailPollHandler(ctx: AppContext): JobHandler<(typeof jobCatalog)['email.poll']['schema']> {
  return (data) => runEmailPoll(ctx, data);
}
