import type { Knex } from 'knex';

/** How far the poller has read one mailbox (table email_mailboxes). */
export type MailboxState = { uidValidity: string; lastUid: number };

export async function loadMailboxState(
  db: Knex,
  storeId: string,
  mailbox: string,
): Promise<MailboxState | null> {
  const row = await db('email_mailboxes')
    .where({ store_id: storeId, mailbox })
    .first('uidvalidity', 'last_uid');
  return row ? { uidValidity: String(row.uidvalidity), lastUid: Number(row.last_uid) } : null;
}

/**
 * Saves progress. Under the same UIDVALIDITY last_uid only grows (two pollers racing cannot move
 * it back); a new UIDVALIDITY replaces it.
 */
export async function saveMailboxState(
  db: Knex,
  storeId: string,
  mailbox: string,
  state: MailboxState & { error?: string | null },
): Promise<void> {
  await db('email_mailboxes')
    .insert({
      store_id: storeId,
      mailbox,
      uidvalidity: state.uidValidity,
      last_uid: state.lastUid,
      last_polled_at: db.fn.now(),
      last_error: state.error ?? null,
    })
    .onConflict(['store_id', 'mailbox'])
    .merge({
      last_uid: db.raw(
        `case when email_mailboxes.uidvalidity = excluded.uidvalidity
          then greatest(email_mailboxes.last_uid, excluded.last_uid)
          else excluded.last_uid end`,
      ),
      uidvalidity: db.raw('excluded.uidvalidity'),
      last_polled_at: db.fn.now(),
      last_error: state.error ?? null,
      updated_at: db.fn.now(),
    });
}
