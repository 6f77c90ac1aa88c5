import type { AppContext } from '../../src/app/context.js';
import { ingestEvent } from '../../src/ingest/ingest.js';
import { checkSenderCap, shouldIgnore, type IgnoreReason } from './email.loop-guard.js';
import { emailIdempotencyKey, toInboundEvent } from './email.parse.js';
import { resolveThread } from './email.threading.js';
import type { EmailSettings, EmailSource, InboundEmail } from './email.types.js';

export type EmailIngestResult =
  | { status: 'accepted' | 'duplicate'; inboundEventId: string; threadRoot: string; enqueue?: () => Promise<void> }
  | { status: 'ignored'; reason: IgnoreReason };

/**
 * The one path every inbound email takes (IMAP poller and parse webhooks): 1. loop and noise
 * guard; 2. per-sender daily cap; 3. thread lookup; 4. record + enqueue `inbound.process` under
 * the Message-ID, so the same mail from two routes or two polls is one event.
 * Ignored mail is logged with its reason and not recorded (nothing for the pipeline to do).
 */
export async function ingestInboundEmail(
  ctx: Pick<AppContext, 'db' | 'queues' | 'logger'>,
  input: {
    storeId: string;
    settings: EmailSettings;
    email: InboundEmail;
    source: EmailSource;
    /** The store's reply_delay_s: the job waits this long, so mail sent in a row gets one reply. */
    replyDelayS?: number;
    /** Record only; the caller enqueues through the result's `enqueue` (see IngestInput.deferJob). */
    deferJob?: boolean;
    now?: Date;
  },
): Promise<EmailIngestResult> {
  const { storeId, settings, email, source } = input;
  const now = input.now ?? new Date();
  const log = ctx.logger.child({ component: 'email-ingest', storeId, source });

  const guard = shouldIgnore(email.headers, email.from?.address, settings.ownAddresses);
  if (guard.ignore) {
    log.info({ reason: guard.reason }, 'email ignored');
    return { status: 'ignored', reason: guard.reason };
  }
  const sender = email.from!.address;
  const cap = await checkSenderCap(ctx.db, storeId, sender, settings.maxPerSenderPerDay, now);
  if (!cap.allowed) {
    log.warn({ reason: 'sender_daily_cap', count: cap.count }, 'email ignored');
    return { status: 'ignored', reason: 'sender_daily_cap' };
  }

  const thread = await resolveThread(ctx.db, storeId, email, now);
  const event = toInboundEvent(email, thread.threadRoot, source, now);
  const result = await ingestEvent(ctx, {
    storeId,
    source: 'email',
    idempotencyKey: emailIdempotencyKey(email),
    eventType: 'customer_message',
    payload: event,
    job: 'inbound.process',
    delayMs: (input.replyDelayS ?? 0) * 1000,
    deferJob: input.deferJob,
  });
  log.info(
    { inboundEventId: result.inboundEventId, status: result.status, thread: thread.matchedBy },
    'email recorded',
  );
  return { status: result.status, inboundEventId: result.inboundEventId, threadRoot: thread.threadRoot, enqueue: result.enqueue };
}
