import type { Knex } from 'knex';

/** Conversations, messages, store actions, the idempotency ledger, inbound events and traces. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('conversations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.uuid('customer_id').references('customers.id').onDelete('SET NULL');
    t.text('customer_email'); // lower-case; the requester's address as the channel reported it
    t.text('channel').notNullable(); // widget | api | email | gorgias | zendesk
    t.text('external_id'); // helpdesk ticket id or email thread root Message-ID
    t.text('subject');
    t.text('status').notNullable().defaultTo('active'); // active | resolved | escalated | abandoned | closed
    t.text('primary_intent');
    t.text('sentiment');
    t.text('priority').notNullable().defaultTo('medium');
    t.text('order_number');
    t.text('assigned_agent');
    t.text('resolution_summary');
    t.smallint('csat_score');
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('first_response_at', { useTz: true });
    t.timestamp('resolved_at', { useTz: true });
    t.index(['store_id', 'created_at']);
    t.index(['store_id', 'status']);
    t.index(['store_id', 'customer_email']);
  });
  await knex.raw(
    'create unique index conversations_store_channel_external_uq on conversations (store_id, channel, external_id) where external_id is not null',
  );
  await knex.raw('alter table conversations add constraint conversations_csat_range check (csat_score between 1 and 5)');

  await knex.schema.createTable('messages', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.uuid('conversation_id').notNullable().references('conversations.id').onDelete('CASCADE');
    t.text('role').notNullable(); // user | assistant | agent | system
    t.text('content').notNullable();
    t.text('external_id'); // vendor comment/message id or email Message-ID
    t.text('delivery'); // public | draft | internal (assistant messages)
    t.text('status').notNullable().defaultTo('sent'); // sent | pending_approval | rejected | failed
    t.text('intent');
    t.specificType('confidence', 'real');
    t.text('sentiment');
    t.text('language');
    t.jsonb('entities').notNullable().defaultTo('{}');
    t.integer('tokens_used').notNullable().defaultTo(0);
    t.integer('latency_ms').notNullable().defaultTo(0);
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['conversation_id', 'created_at']);
    t.index(['store_id', 'status']);
  });
  await knex.raw(
    'create unique index messages_conversation_external_uq on messages (conversation_id, external_id) where external_id is not null',
  );

  await knex.schema.createTable('actions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.uuid('conversation_id').references('conversations.id').onDelete('CASCADE');
    t.uuid('message_id').references('messages.id').onDelete('SET NULL');
    t.text('action_type').notNullable(); // cancel_order | refund | address_change | return_request
    t.text('order_number');
    t.text('customer_email');
    t.jsonb('action_data').notNullable().defaultTo('{}');
    // proposed | awaiting_approval | approved | completed | failed | rejected
    t.text('status').notNullable().defaultTo('proposed');
    t.text('idempotency_key').notNullable();
    t.jsonb('result');
    t.text('error_message');
    t.text('approved_by');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
    t.unique(['store_id', 'idempotency_key']);
    t.index(['store_id', 'status']);
    t.index(['store_id', 'customer_email', 'created_at']);
  });

  // Every external write (reply, note, reassignment, store mutation) is recorded here BEFORE the
  // call, under a deterministic key, so a retried job finds it and never writes twice.
  await knex.schema.createTable('external_writes', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('idempotency_key').notNullable();
    t.text('target').notNullable(); // zendesk | gorgias | email | shopify | demo
    t.text('operation').notNullable(); // reply | note | escalate | cancel | refund | ...
    t.text('status').notNullable().defaultTo('recorded'); // recorded | sent | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('external_id');
    t.jsonb('response');
    t.text('error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['store_id', 'idempotency_key']);
  });

  await knex.schema.createTable('inbound_events', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.text('source').notNullable(); // zendesk | gorgias | email | shopify | api
    t.text('idempotency_key').notNullable();
    t.text('event_type').notNullable();
    t.jsonb('payload').notNullable(); // the parsed domain event (never raw credentials)
    // received | queued | processing | processed | skipped | failed | dead
    t.text('status').notNullable().defaultTo('received');
    t.text('skip_reason');
    t.text('error');
    t.integer('attempts').notNullable().defaultTo(0);
    t.uuid('conversation_id').references('conversations.id').onDelete('SET NULL');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('processed_at', { useTz: true });
    t.unique(['store_id', 'source', 'idempotency_key']);
    t.index(['store_id', 'status']);
  });

  await knex.schema.createTable('decision_traces', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('store_id').notNullable().references('stores.id').onDelete('CASCADE');
    t.uuid('conversation_id').references('conversations.id').onDelete('CASCADE');
    t.uuid('message_id').references('messages.id').onDelete('SET NULL');
    t.uuid('inbound_event_id').references('inbound_events.id').onDelete('SET NULL');
    t.text('engine').notNullable(); // local | openai | openai->local (fallback)
    t.text('outcome').notNullable(); // auto | draft | escalated | skipped | off | awaiting_approval
    t.text('intent');
    t.specificType('confidence', 'real');
    t.jsonb('nodes').notNullable().defaultTo('[]'); // [{node, input, output, model, tokens, latency_ms, cost_usd}]
    t.jsonb('citations').notNullable().defaultTo('[]');
    t.integer('total_tokens').notNullable().defaultTo(0);
    t.decimal('cost_usd', 12, 6).notNullable().defaultTo(0);
    t.integer('latency_ms').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['store_id', 'created_at']);
    t.index(['conversation_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['decision_traces', 'inbound_events', 'external_writes', 'actions', 'messages', 'conversations']) {
    await knex.schema.dropTableIfExists(table);
  }
}
