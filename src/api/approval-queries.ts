import type { Knex } from 'knex';
import type { z } from 'zod';
import type { approvalsSchema } from './schemas/approvals.js';
import { iso, json, num } from './row-values.js';

type Approvals = z.infer<typeof approvalsSchema>;

/**
 * What waits for a person, oldest first: drafted replies (assistant messages `pending_approval`,
 * with the store action they announce) and store actions `awaiting_approval` (with why).
 */
export async function listApprovals(db: Knex, storeId: string, limit: number): Promise<Approvals> {
  const drafts = await db('messages as m')
    .leftJoin('actions as a', function () {
      this.on('a.store_id', '=', 'm.store_id').andOn(db.raw("a.id::text = m.metadata->>'actionId'"));
    })
    .where({ 'm.store_id': storeId, 'm.role': 'assistant', 'm.status': 'pending_approval' })
    .orderBy([{ column: 'm.created_at' }, { column: 'm.id' }])
    .limit(limit)
    .select(
      'm.id as message_id',
      'm.conversation_id',
      'm.content',
      'm.intent',
      'm.confidence',
      'm.created_at',
      'a.id as action_id',
      'a.action_type',
      'a.order_number',
      'a.status as action_status',
      'a.action_data',
    );
  const actions = await db('actions as a')
    .where({ 'a.store_id': storeId, 'a.status': 'awaiting_approval' })
    .orderBy([{ column: 'a.created_at' }, { column: 'a.id' }])
    .limit(limit)
    .select(
      'a.id',
      'a.conversation_id',
      'a.action_type',
      'a.order_number',
      'a.action_data',
      'a.status',
      'a.created_at',
      // The executor keeps its reason in result; the pipeline's is on the turn that proposed it.
      db.raw(
        `coalesce(a.result->>'reason', a.error_message,
           (select t.delivery->>'reason' from decision_traces t
             where t.store_id = a.store_id and t.turn_key = substr(a.idempotency_key, 8) limit 1)) as reason`,
      ),
    );
  return {
    drafts: drafts.map((d) => ({
      message_id: d.message_id,
      conversation_id: d.conversation_id,
      content: d.content,
      intent: d.intent ?? null,
      confidence: num(d.confidence),
      created_at: iso(d.created_at),
      action: d.action_id
        ? {
            id: d.action_id,
            action_type: d.action_type,
            order_number: d.order_number ?? null,
            status: d.action_status,
            action_data: json<Record<string, unknown>>(d.action_data) ?? {},
          }
        : null,
    })),
    actions: actions.map((a) => ({
      id: a.id,
      conversation_id: a.conversation_id ?? null,
      action_type: a.action_type,
      order_number: a.order_number ?? null,
      action_data: json<Record<string, unknown>>(a.action_data) ?? {},
      status: a.status,
      reason: a.reason ?? null,
      created_at: iso(a.created_at),
    })),
  };
}
