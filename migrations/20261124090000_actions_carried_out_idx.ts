import type { Knex } from 'knex';

/**
 * Approved actions already carried out, by approval time: the lost-job recovery looks, once a
 * minute, at those of the last day whose reply has not gone out (a job lost between the action
 * and the reply). Only actions approved through the API have approved_at, so the index stays small.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create index actions_carried_out_idx on actions (approved_at) where approved_at is not null and status in ('completed', 'failed')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists actions_carried_out_idx');
}
