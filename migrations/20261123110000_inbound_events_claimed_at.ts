import type { Knex } from 'knex';

/**
 * When a job last started on the event. The lost-job recovery leaves alone an event claimed
 * recently: if Redis lost the job while it ran, that run may still be under way, and a second one
 * beside it could write twice. Nullable without a default: no rewrite.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('inbound_events', (t) => {
    t.timestamp('claimed_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('inbound_events', (t) => {
    t.dropColumn('claimed_at');
  });
}
