import type { Knex } from 'knex';

/**
 * The order lookup of every ticket matches order numbers case-insensitively
 * (`upper(order_number) in (…)`, src/commerce/order-repository.ts), which the unique
 * (store_id, order_number) index cannot serve: without this index every lookup scanned all of
 * the store's orders (found by the bench profile).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index orders_store_upper_number_idx on orders (store_id, upper(order_number))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists orders_store_upper_number_idx');
}
