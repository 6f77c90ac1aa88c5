import type { Knex } from 'knex';

/**
 * An email thread's mail by thread root: each email job reads the thread's mail that no turn has
 * recorded yet (connectors/email/email.ticket.ts), so two emails sent in a row get one reply.
 * Only email events: helpdesk tickets are read from the helpdesk.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `create index inbound_events_email_thread_idx on inbound_events (store_id, (payload->>'externalTicketId'), received_at)
     where source = 'email'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists inbound_events_email_thread_idx');
}
