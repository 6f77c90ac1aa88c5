import type { Knex } from 'knex';
import type { HelpdeskConnector, TicketRef } from '../../connectors/types.js';
import type { DeliveryPlan } from '../conversations/record.js';
import type { StoreSettings } from '../domain/settings.js';
import type { Logger } from '../logger.js';
import { en } from '../pipeline/respond/phrases-en.js';
import { performOnce, runParts, type SqlParts } from '../store/external-writes.js';
import { postOnce } from './post-once.js';

export type ActionRunner = (actionId: string) => Promise<{ ok: true } | { ok: false; reason: string }>;

export type DeliverDeps = {
  db: Knex;
  logger: Logger;
  /** The channel's connector; null for API/widget conversations (the reply is the HTTP answer). */
  connector: HelpdeskConnector | null;
  runAction: ActionRunner;
};

export type DeliverInput = {
  storeId: string;
  settings: StoreSettings;
  conversationId: string;
  assistantMessageId: string | null;
  turnKey: string;
  ticket: TicketRef | null;
  plan: DeliveryPlan;
  /**
   * The inbound event this turn answers. When the public reply is the last write of the turn, the
   * event is marked processed in the same statement that marks the reply sent.
   */
  inboundEventId?: string | null;
  /** The reply's ledger row, recorded with the turn (recordTurn): posting it needs no statement first. */
  replyWriteId?: string | null;
};

export type Delivered = {
  outcome: DeliveryPlan['outcome'];
  replyText: string | null;
  actionOk: boolean | null;
  /** Set when `inboundEventId` was given and the event is already marked processed. */
  eventProcessed?: true;
};

/**
 * DESIGN step 7. Actions run before the reply that announces them; every write goes through the
 * exactly-once ledger under a key derived from the turn, so a retried job never writes twice.
 */
export async function deliverTurn(deps: DeliverDeps, input: DeliverInput): Promise<Delivered> {
  const { plan, connector, ticket } = { ...input, connector: deps.connector };
  const log = deps.logger.child({ component: 'deliver', storeId: input.storeId, conversationId: input.conversationId });
  if (plan.outcome === 'off') return { outcome: 'off', replyText: null, actionOk: null };

  let replyText = plan.replyText;
  let outcome = plan.outcome;
  let actionOk: boolean | null = null;
  let escalation = plan.escalation;
  let noteText = plan.noteText;
  let eventProcessed = false;

  // 1. The action first: a reply must never announce what did not happen.
  if (plan.outcome === 'auto' && plan.actionId && plan.actionAllowed) {
    const r = await deps.runAction(plan.actionId);
    actionOk = r.ok;
    if (!r.ok) {
      log.warn({ actionId: plan.actionId, reason: r.reason }, 'action failed: escalating');
      replyText = en.actionFailed;
      outcome = 'escalated';
      escalation = { reason: 'action_failed', priority: 'high' };
      noteText = `🤖 The bot could not complete ${plan.actionId}: ${r.reason}. The customer was told a person will follow up.`;
    }
  }

  const ref = ticket;
  // 2. The customer-facing reply.
  const helpdesk = connector?.kind === 'zendesk' || connector?.kind === 'gorgias';
  // Public: automatic replies; the "we couldn't do it, a person will follow up" text after a failed
  // action; and the hand-off text on channels without a helpdesk where a human would pick it up.
  const sendPublic = replyText !== null && (outcome === 'auto' || actionOk === false || (outcome === 'escalated' && !helpdesk));
  if (sendPublic && replyText) {
    // An automatic reply is the turn's last write (a failed action turned the outcome into an
    // escalation, which still has a write to do).
    const last = outcome === 'auto' && input.inboundEventId ? input.inboundEventId : null;
    const sent = (externalId: string | null) =>
      replySentParts({ messageId: input.assistantMessageId, conversationId: input.conversationId, replyText, externalId, inboundEventId: last });
    if (connector && ref) {
      // Marked sent together with the ledger row: one statement, and no crash can fall between.
      const reply = { body: replyText, visibility: 'public' as const, tags: outcome === 'auto' ? plan.tags : undefined };
      await postOnce(deps.db, {
        storeId: input.storeId,
        connector,
        ref,
        key: `reply:${input.turnKey}`,
        operation: 'reply',
        reply,
        recordedId: input.replyWriteId,
        sentAlso: sent,
      });
    } else {
      await runParts(deps.db, sent(null));
    }
    if (last) eventProcessed = true;
  }

  // 2b. Outside business hours: a holding reply now; the answer itself waits for the team.
  if (plan.holdingText && outcome === 'draft') {
    const holding = plan.holdingText;
    let externalId: string | null = null;
    if (connector && ref) {
      const reply = { body: holding, visibility: 'public' as const };
      externalId = await postOnce(deps.db, { storeId: input.storeId, connector, ref, key: `holding:${input.turnKey}`, operation: 'reply', reply });
    }
    await deps.db('messages')
      .insert({ store_id: input.storeId, conversation_id: input.conversationId, role: 'assistant', content: holding, delivery: 'public', status: 'sent', external_id: externalId ?? `holding:${input.turnKey}`, metadata: JSON.stringify({ turnKey: input.turnKey, holding: true }) })
      .onConflict(deps.db.raw('(conversation_id, external_id) where external_id is not null'))
      .ignore();
  }

  // 3. Drafts and approvals: an internal note with the suggested reply and the evidence.
  if ((outcome === 'draft' || outcome === 'awaiting_approval') && noteText && connector && ref) {
    const note = { body: noteText, visibility: 'draft' as const, tags: plan.tags };
    await postOnce(deps.db, { storeId: input.storeId, connector, ref, key: `note:${input.turnKey}`, operation: 'note', reply: note });
  }

  // 4. Escalation: reassign with priority, tags and the summary note.
  if (outcome === 'escalated') {
    await deps.db('conversations').where({ id: input.conversationId }).update({ status: 'escalated', updated_at: deps.db.fn.now() });
    if (connector && ref) {
      const target = connector.kind === 'email' ? {} : input.settings.escalation[connector.kind];
      const priority = (escalation?.priority ?? 'medium') as 'low' | 'medium' | 'high' | 'urgent';
      await performOnce(deps.db, {
        storeId: input.storeId,
        idempotencyKey: `escalate:${input.turnKey}`,
        target: connector.kind,
        operation: 'escalate',
        execute: async () => {
          await connector.escalate(ref, { ...target, priority, tags: plan.tags, note: noteText ?? 'Escalated by the bot.' }, { idempotencyKey: `escalate:${input.turnKey}` });
          return {};
        },
      });
    }
  }
  return { outcome, replyText: sendPublic ? replyText : null, actionOk, ...(eventProcessed ? { eventProcessed: true as const } : {}) };
}

/**
 * The reply message is sent and the conversation has its first response (and, when given, the
 * inbound event is processed): parts of one statement, all or nothing.
 */
function replySentParts(r: { messageId: string | null; conversationId: string; replyText: string; externalId: string | null; inboundEventId: string | null }): SqlParts {
  const ctes: string[] = [];
  const bindings: Knex.Value[] = [];
  if (r.messageId) {
    ctes.push(`m as (update messages set content = ?, delivery = 'public', status = 'sent', external_id = ? where id = ?)`);
    bindings.push(r.replyText, r.externalId, r.messageId);
  }
  if (r.inboundEventId) {
    ctes.push(`e as (update inbound_events set status = 'processed', conversation_id = ?, processed_at = now(), error = null where id = ?)`);
    bindings.push(r.conversationId, r.inboundEventId);
  }
  ctes.push(`c as (update conversations set first_response_at = coalesce(first_response_at, now()), updated_at = now() where id = ?)`);
  bindings.push(r.conversationId);
  return { ctes, bindings };
}
