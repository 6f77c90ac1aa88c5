import type { Knex } from 'knex';

/**
 * Email channel bookkeeping.
 * - email_mailboxes: how far the IMAP poller has read each mailbox. UIDs are only meaningful
 *   under one UIDVALIDITY, so both are kept; a new UIDVALIDITY restarts from unseen mail.
 * - email_outbound: every mail we sent (replies, escalation forwards) by Message-ID and
 *   idempotency key, so a customer's answer to our reply finds its thread even when only
 *   In-Reply-To is set, and a retried job finds the mail it already sent.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('email_mailboxes', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('mailbox').notNullable();
    t.text('uidvalidity').notNullable(); // up to 2^32-1; text keeps it exact everywhere
    t.bigInteger('last_uid').notNullable().defaultTo(0);
    t.timestamp('last_polled_at', { useTz: true });
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['store_id', 'mailbox']);
  });

  await knex.schema.createTable('email_outbound', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('message_id').notNullable(); // "<…@store-domain>"
    t.text('thread_root'); // the conversation's external_id (null for mail outside a thread)
    t.text('idempotency_key').notNullable();
    t.text('kind').notNullable(); // reply | escalation
    t.timestamp('sent_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['store_id', 'idempotency_key']);
    t.index(['store_id', 'message_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('email_outbound');
  await knex.schema.dropTableIfExists('email_mailboxes');
}
