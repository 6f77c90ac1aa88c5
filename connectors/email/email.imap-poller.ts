import { ImapFlow } from 'imapflow';
import type { AppContext } from '../../src/app/context.js';
import { PermanentError, RetryableError } from '../../src/errors.js';
import { recordDeadLetter } from '../../src/ingest/ingest.js';
import { sha256Hex } from '../../src/security/crypto.js';
import { ingestInboundEmail } from './email.ingest.js';
import { loadMailboxState, saveMailboxState } from './email.mailbox-state.js';
import { parseRawEmail } from './email.parse.js';
import type { EmailSettings, ImapConfig } from './email.types.js';

/** New mail handled per poll; the rest waits for the next tick. */
export const POLL_BATCH = 25;
/** Upper bound on a first read (or a UIDVALIDITY reset) of a mailbox's unseen mail. */
export const RESET_LIMIT = 500;

export type PollResult = {
  mailbox: string;
  uidValidity: string;
  /** True when this poll (re)started from unseen mail: first poll or new UIDVALIDITY. */
  reset: boolean;
  fetched: number;
  accepted: number;
  duplicates: number;
  ignored: number;
  failed: number;
  lastUid: number;
};

type Ctx = Pick<AppContext, 'db' | 'queues' | 'logger'>;
type Outcome = 'accepted' | 'duplicate' | 'ignored' | 'dead';

export function imapClient(imap: ImapConfig): ImapFlow {
  return new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.secure,
    auth: { user: imap.user, pass: imap.pass },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 20_000,
    greetingTimeout: 15_000,
    socketTimeout: 120_000,
    tls: { rejectUnauthorized: imap.rejectUnauthorized, minVersion: 'TLSv1.2' },
  });
}

async function handleOne(
  ctx: Ctx,
  input: { storeId: string; settings: EmailSettings; replyDelayS?: number },
  source: Buffer,
): Promise<{ outcome: Outcome; enqueue?: () => Promise<void> }> {
  const { storeId } = input;
  let email;
  try {
    email = await parseRawEmail(source);
  } catch (err) {
    // Kept as a dead letter: nothing that arrived is lost, and it is not retried forever.
    await recordDeadLetter(ctx, {
      storeId,
      source: 'email',
      idempotencyKey: `email:sha256:${sha256Hex(source)}`,
      eventType: 'customer_message',
      error: `unparseable message: ${(err as Error).message}`,
      raw: source.toString('utf8'),
    });
    return { outcome: 'dead' };
  }
  const { settings, replyDelayS } = input;
  const result = await ingestInboundEmail(ctx, { storeId, settings, replyDelayS, email, source: 'imap', deferJob: true });
  return { outcome: result.status, enqueue: 'enqueue' in result ? result.enqueue : undefined };
}

/**
 * One poll of a store's mailbox: 1. lock the mailbox and read UIDVALIDITY; 2. choose the UIDs:
 * above the last one seen, or, on a first poll or a new UIDVALIDITY, the recent unseen ones;
 * 3. fetch their sources (collected first: no IMAP command may run inside a fetch);
 * 4. ingest each in UID order, stopping at the first failure; 5. flag ingested mail \Seen (and
 * move it if a processed folder is set) and save progress. Ignored mail (bounces, auto-replies,
 * lists) is left unread for the humans who share the mailbox.
 */
export async function pollMailbox(
  ctx: Ctx,
  input: { storeId: string; settings: EmailSettings; mailbox?: string; replyDelayS?: number; now?: Date },
): Promise<PollResult> {
  const imap = input.settings.imap;
  if (!imap) throw new PermanentError('email: no IMAP mailbox configured for this store');
  const { storeId, settings } = input;
  const mailbox = input.mailbox ?? imap.mailbox;
  const now = input.now ?? new Date();
  const log = ctx.logger.child({ component: 'imap-poller', storeId, mailbox });
  const client = imapClient(imap);
  client.on('error', (err: Error) => log.warn({ err: err.message }, 'imap connection error'));
  try {
    await client.connect();
  } catch (err) {
    const e = err as { authenticationFailed?: boolean; message?: string };
    if (e.authenticationFailed) throw new PermanentError('IMAP login rejected', undefined, { cause: err });
    throw new RetryableError(`IMAP connect failed: ${e.message ?? 'error'}`, undefined, { cause: err });
  }
  const counts = { fetched: 0, accepted: 0, duplicates: 0, ignored: 0, failed: 0 };
  try {
    const lock = await client.getMailboxLock(mailbox);
    try {
      if (!client.mailbox) throw new RetryableError('IMAP mailbox not selected');
      const uidValidity = String(client.mailbox.uidValidity);
      const uidNext = client.mailbox.uidNext;
      const state = await loadMailboxState(ctx.db, storeId, mailbox);
      const reset = !state || state.uidValidity !== uidValidity;
      if (state && reset) log.warn('UIDVALIDITY changed: re-reading unseen mail');

      // 2. Which UIDs ("n:*" always matches the highest message, hence the filter).
      const since = new Date(now.getTime() - imap.lookbackDays * 24 * 3600 * 1000);
      const found = reset
        ? await client.search({ seen: false, since }, { uid: true })
        : await client.search({ uid: `${state.lastUid + 1}:*` }, { uid: true });
      const uids = (found || [])
        .filter((u) => reset || u > state!.lastUid)
        .sort((a, b) => a - b)
        .slice(0, reset ? RESET_LIMIT : POLL_BATCH);

      // 3. Collect first.
      const sources: { uid: number; source: Buffer }[] = [];
      if (uids.length > 0) {
        for await (const msg of client.fetch(uids.join(','), { uid: true, source: true }, { uid: true })) {
          if (msg.source) sources.push({ uid: msg.uid, source: msg.source });
        }
      }
      sources.sort((a, b) => a.uid - b.uid);
      counts.fetched = sources.length;

      // 4. Record in order; stop at the first failure so nothing after it is skipped for good.
      // The jobs are enqueued once the whole poll is recorded: a customer's mails read together
      // are then seen together, and get one reply (src/delivery/burst.ts).
      const handled: number[] = [];
      const toFlag: number[] = [];
      const jobs: (() => Promise<void>)[] = [];
      let failure: unknown = null;
      for (const { uid, source } of sources) {
        try {
          const { outcome, enqueue } = await handleOne(ctx, { storeId, settings, replyDelayS: input.replyDelayS }, source);
          if (enqueue) jobs.push(enqueue);
          handled.push(uid);
          if (outcome === 'accepted' || outcome === 'duplicate') toFlag.push(uid);
          if (outcome === 'accepted') counts.accepted++;
          else if (outcome === 'duplicate') counts.duplicates++;
          else if (outcome === 'ignored') counts.ignored++;
          else counts.failed++;
        } catch (err) {
          failure = err;
          counts.failed++;
          log.warn({ uid, err: (err as Error).message }, 'ingest failed; will retry from this message');
          break;
        }
      }

      for (const enqueue of jobs) {
        // Recorded either way: an event left without its job is enqueued by the lost-job recovery.
        await enqueue().catch((err: unknown) => {
          failure ??= err;
          log.warn({ err: (err as Error).message }, 'enqueue failed; the lost-job recovery will enqueue it');
        });
      }

      // 5. Flag (and move) what was recorded, then save progress.
      if (toFlag.length > 0) {
        const range = toFlag.join(',');
        await client.messageFlagsAdd(range, ['\\Seen'], { uid: true });
        if (imap.processedMailbox) await client.messageMove(range, imap.processedMailbox, { uid: true });
      }
      const highest = handled.length > 0 ? Math.max(...handled) : 0;
      let lastUid: number;
      if (reset) {
        // A reset completes only when every unseen message was handled; until then the next
        // poll re-reads unseen mail (recorded mail is \Seen now, duplicates are harmless).
        lastUid = Math.max(uidNext - 1, highest);
        if (!failure && uids.length < RESET_LIMIT) {
          await saveMailboxState(ctx.db, storeId, mailbox, { uidValidity, lastUid });
        }
      } else {
        lastUid = Math.max(state.lastUid, highest);
        await saveMailboxState(ctx.db, storeId, mailbox, {
          uidValidity,
          lastUid,
          error: failure ? (failure as Error).message?.slice(0, 500) : null,
        });
      }
      log.info({ ...counts, reset, lastUid }, 'mailbox polled');
      if (failure) {
        throw failure instanceof RetryableError
          ? failure
          : new RetryableError('email ingest failed', 5000, { cause: failure });
      }
      return { mailbox, uidValidity, reset, lastUid, ...counts };
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}
