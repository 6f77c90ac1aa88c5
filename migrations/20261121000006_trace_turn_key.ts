import type { Knex } from 'knex';

/**
 * A turn (one customer message through the pipeline) is recorded once under its key; `delivery`
 * keeps what delivery must do (reply, note, tags, escalation), so a retried job replays it instead
 * of running the model again.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('decision_traces', (t) => {
    t.text('turn_key');
    t.jsonb('delivery');
    t.unique(['store_id', 'turn_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('decision_traces', (t) => {
    t.dropUnique(['store_id', 'turn_key']);
    t.dropColumn('delivery');
    t.dropColumn('turn_key');
  });
}
