import type { Knex } from 'knex';

/**
 * When a person approved an action (approved drafts keep it in metadata.approval.at). The
 * approval's job id carries that time, so the lost-job recovery can ask the queue for the very
 * job. The two partial indexes keep its once-a-minute look a lookup of the few approvals and
 * deliveries in flight, not a scan of every message.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('actions', (t) => {
    t.timestamp('approved_at', { useTz: true });
  });
  await knex.raw(`create index actions_approved_idx on actions (approved_at) where status = 'approved'`);
  await knex.raw(`create index messages_pending_idx on messages (created_at) where status = 'pending'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists messages_pending_idx');
  await knex.raw('drop index if exists actions_approved_idx');
  await knex.schema.alterTable('actions', (t) => {
    t.dropColumn('approved_at');
  });
}
