import type { Knex } from 'knex';

/** Customers, products and the order cache (commerce connector data, refreshed by webhooks). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customers', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('external_id').notNullable();
    t.text('email'); // stored lower-case
    t.text('name');
    t.text('phone');
    t.integer('total_orders').notNullable().defaultTo(0);
    t.decimal('total_spent', 14, 2).notNullable().defaultTo(0);
    t.jsonb('tags').notNullable().defaultTo('[]');
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['store_id', 'external_id']);
    t.index(['store_id', 'email']);
  });

  await knex.schema.createTable('products', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('external_id').notNullable();
    t.text('name').notNullable();
    t.jsonb('variants').notNullable().defaultTo('[]');
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['store_id', 'external_id']);
  });

  await knex.schema.createTable('orders', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('external_id').notNullable();
    t.text('order_number').notNullable(); // as customers see it: "#W1234567", "#1001"
    t.text('email'); // lower-case
    t.uuid('customer_id').references('customers.id').onDelete('SET NULL');
    t.text('customer_external_id');
    t.text('customer_name');
    t.text('status').notNullable(); // normalised OrderState
    t.text('financial_status');
    t.text('fulfillment_status');
    t.decimal('total_price', 14, 2).notNullable().defaultTo(0);
    t.text('currency').notNullable().defaultTo('USD');
    t.jsonb('line_items').notNullable().defaultTo('[]');
    t.jsonb('shipping_address');
    t.jsonb('fulfillments').notNullable().defaultTo('[]');
    t.jsonb('tracking_numbers').notNullable().defaultTo('[]');
    t.jsonb('payment_history').notNullable().defaultTo('[]');
    t.jsonb('raw');
    t.timestamp('placed_at', { useTz: true });
    t.timestamp('cached_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['store_id', 'external_id']);
    t.unique(['store_id', 'order_number']);
    t.index(['store_id', 'email']);
    t.index(['customer_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('orders');
  await knex.schema.dropTableIfExists('products');
  await knex.schema.dropTableIfExists('customers');
}
