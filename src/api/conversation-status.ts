import type { AppContext } from '../app/context.js';
import { conflict, notFound } from '../errors.js';

const CLOSED = ['resolved', 'closed'];

/**
 * Manual escalation: the conversation becomes `escalated` (a person takes over), with the reason
 * kept in metadata and as an internal system message for the timeline. Escalating an escalated
 * conversation answers the same (idempotent); a resolved one is a conflict. Helpdesk tickets are
 * not reassigned from here: the person escalating works in the helpdesk already.
 */
export async function escalateConversation(
  ctx: AppContext,
  input: { storeId: string; id: string; reason: string; apiKeyId: string },
): Promise<{ escalated: true; ticket_id: string }> {
  const { db } = ctx;
  const c = await db('conversations').where({ store_id: input.storeId, id: input.id }).first('id', 'status', 'external_id');
  if (!c) throw notFound('conversation not found');
  if (CLOSED.includes(c.status)) throw conflict(`the conversation is ${c.status}; it cannot be escalated`);
  if (c.status !== 'escalated') {
    await db.transaction(async (trx) => {
      const escalation = { reason: input.reason, source: 'api', api_key_id: input.apiKeyId, at: new Date().toISOString() };
      await trx('conversations')
        .where({ id: c.id })
        .update({ status: 'escalated', metadata: trx.raw('metadata || ?::jsonb', [JSON.stringify({ escalation })]), updated_at: trx.fn.now() });
      await trx('messages').insert({
        store_id: input.storeId,
        conversation_id: c.id,
        role: 'system',
        content: `Escalated to a person: ${input.reason}`,
        delivery: 'internal',
        status: 'sent',
      });
    });
    ctx.logger.info({ storeId: input.storeId, conversationId: c.id }, 'conversation escalated by API');
  }
  return { escalated: true, ticket_id: String(c.external_id ?? c.id) };
}

/**
 * Resolution with a summary and an optional CSAT score (1–5). Only once: a resolved conversation
 * answers 409. Then `knowledge.learn` looks at it for FAQ candidates; a failed enqueue is logged,
 * never an error for the client (the resolution itself is saved).
 */
export async function resolveConversation(
  ctx: AppContext,
  input: { storeId: string; id: string; summary: string; csat?: number },
): Promise<{ resolved: true }> {
  const { db } = ctx;
  const c = await db('conversations').where({ store_id: input.storeId, id: input.id }).first('id', 'status');
  if (!c) throw notFound('conversation not found');
  const updated = await db('conversations')
    .where({ id: c.id })
    .whereNotIn('status', CLOSED)
    .update({
      status: 'resolved',
      resolution_summary: input.summary,
      csat_score: input.csat ?? null,
      resolved_at: db.fn.now(),
      updated_at: db.fn.now(),
    });
  if (!updated) throw conflict('the conversation is already resolved');
  try {
    await ctx.queues.enqueue('knowledge.learn', { storeId: input.storeId, conversationId: c.id }, { jobId: `learn-${c.id}` });
  } catch (err) {
    ctx.logger.warn({ storeId: input.storeId, conversationId: c.id, err: (err as Error).message }, 'knowledge.learn not enqueued');
  }
  return { resolved: true };
}
