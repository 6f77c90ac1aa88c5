import type { Knex } from 'knex';

/** Tenancy root: every other row belongs to a store. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('stores', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('slug').notNullable().unique();
    t.text('name').notNullable();
    t.text('platform').notNullable().defaultTo('demo'); // demo | shopify | custom
    t.text('domain').unique(); // e.g. acme.myshopify.com
    t.text('status').notNullable().defaultTo('active'); // active | uninstalled
    t.jsonb('settings').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('api_keys', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('prefix').notNullable(); // first characters, shown in lists to recognise a key
    t.text('key_hash').notNullable().unique(); // sha256 of the key; the key itself is never stored
    t.specificType('permissions', 'text[]').notNullable().defaultTo('{read}');
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['store_id']);
  });

  await knex.schema.createTable('connector_credentials', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('kind').notNullable(); // zendesk | gorgias | shopify | email
    t.text('ciphertext').notNullable(); // AES-256-GCM, see src/security/crypto.ts
    t.jsonb('meta').notNullable().defaultTo('{}'); // non-secret: subdomain, account, base URL
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['store_id', 'kind']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('connector_credentials');
  await knex.schema.dropTableIfExists('api_keys');
  await knex.schema.dropTableIfExists('stores');
}
