import type { Knex } from 'knex';

/**
 * The queue job an event was last given when it is not the one intake gives (`ie-<id>`): a
 * replayed dead event runs as `ie-<id>-retry-<n>`. The lost-job recovery needs the id to tell a
 * job that is still waiting from one that Redis lost. Nullable without a default: no rewrite.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('inbound_events', (t) => {
    t.text('job_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('inbound_events', (t) => {
    t.dropColumn('job_id');
  });
}
