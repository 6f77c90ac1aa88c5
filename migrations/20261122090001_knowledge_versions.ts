import type { Knex } from 'knex';

/**
 * Knowledge retrieval v2:
 * - knowledge_versions: a per-store counter bumped with every knowledge change; retrieval cache
 *   keys include it so a re-import is never hidden by a cached answer.
 * - Weighted tsvectors: nearest heading (A), parent headings (B), document title (C), text (D),
 *   so a match on "Return delivered order" counts more than the same word in a paragraph.
 *   Rows imported before this migration are re-indexed here with the same expression as import.ts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('knowledge_versions', (t) => {
    t.uuid('store_id').primary().references('stores.id').onDelete('CASCADE');
    t.bigInteger('version').notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    update policy_chunks c set tsv =
        setweight(to_tsvector(d.language::regconfig, coalesce(c.heading, '')), 'A')
     || setweight(to_tsvector(d.language::regconfig, regexp_replace(
          regexp_replace(coalesce(c.heading_path, ''), '^[^>]*(>\\s*|$)', ''), '\\s*(>[^>]*|[^>]*)$', '')), 'B')
     || setweight(to_tsvector(d.language::regconfig, d.title), 'C')
     || to_tsvector(d.language::regconfig, c.content)
      from policy_documents d
     where d.id = c.document_id`);
  await knex.raw('create index policy_chunks_store_model_idx on policy_chunks (store_id, embedding_model)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists policy_chunks_store_model_idx');
  await knex.schema.dropTableIfExists('knowledge_versions');
}
