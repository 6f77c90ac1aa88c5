import type { Knex } from 'knex';

/**
 * The deliveries not finished yet (waiting, running, retrying, dead) are a few rows among
 * millions processed. `/metrics` counts them and the age of the oldest on every scrape; this
 * partial index keeps that a lookup of those few rows instead of a scan of every event.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `create index inbound_events_unfinished_idx on inbound_events (status, received_at)
     where status in ('received', 'queued', 'processing', 'failed', 'dead')`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists inbound_events_unfinished_idx');
}
