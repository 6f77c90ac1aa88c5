import type { Knex } from 'knex';

/**
 * Customer data exports produced for privacy requests (Shopify `customers/data_request`): one row
 * per request, holding what we store about the customer, for the merchant to hand over.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('data_exports', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('source').notNullable().defaultTo('shopify');
    t.text('request_id').notNullable(); // the platform's data request id (dedup of redeliveries)
    t.text('customer_email'); // lower-case
    t.text('customer_external_id');
    t.jsonb('data').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['store_id', 'source', 'request_id']);
    t.index(['store_id', 'customer_email']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('data_exports');
}
