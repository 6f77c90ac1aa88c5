import type { Knex } from 'knex';

/**
 * Store knowledge: documents and their chunks with a tsvector for full-text search, plus an
 * embedding column when the server has pgvector. Without it, retrieval is full-text only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('policy_documents', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('title').notNullable();
    t.text('source').notNullable().defaultTo('api'); // file | api | macro | faq | learned
    t.text('source_ref').notNullable(); // file name, macro id…: re-import replaces by this key
    t.text('format').notNullable().defaultTo('markdown'); // markdown | text | html
    t.text('category');
    t.text('language').notNullable().defaultTo('english'); // text-search configuration
    t.text('status').notNullable().defaultTo('active'); // active | candidate | rejected
    t.text('content').notNullable();
    t.text('content_hash').notNullable();
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['store_id', 'source', 'source_ref']);
  });

  await knex.schema.createTable('policy_chunks', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.uuid('document_id').notNullable().references('policy_documents.id').onDelete('CASCADE');
    t.integer('ordinal').notNullable();
    t.text('heading'); // nearest heading
    t.text('heading_path'); // "Title > Section > Subsection"
    t.text('content').notNullable();
    t.text('content_hash').notNullable();
    t.specificType('tsv', 'tsvector').notNullable();
    t.text('embedding_model');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['document_id', 'ordinal']);
    t.index(['store_id']);
  });
  await knex.raw('create index policy_chunks_tsv_idx on policy_chunks using gin (tsv)');

  if (await vectorAvailable(knex)) {
    await knex.raw('create extension if not exists vector');
    // Untyped `vector`: any embedding size (OpenAI 1536, local servers 384/768…); rows are
    // compared only with rows of the same embedding_model.
    await knex.raw('alter table policy_chunks add column embedding vector');
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('policy_chunks');
  await knex.schema.dropTableIfExists('policy_documents');
}

async function vectorAvailable(knex: Knex): Promise<boolean> {
  const r = await knex.raw("select 1 from pg_available_extensions where name = 'vector'");
  return r.rows.length > 0;
}
