import type { Knex } from 'knex';

/** Shopify OAuth sessions (offline tokens), encrypted like every other credential. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('shopify_sessions', (t) => {
    t.text('id').primary(); // the library's session id, e.g. "offline_acme.myshopify.com"
    t.uuid('store_id').references('stores.id').onDelete('CASCADE');
    t.text('shop').notNullable();
    t.text('state');
    t.boolean('is_online').notNullable().defaultTo(false);
    t.text('scope');
    t.timestamp('expires', { useTz: true });
    t.text('access_token_ciphertext');
    t.jsonb('online_access_info');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['shop']);
    t.index(['store_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('shopify_sessions');
}
