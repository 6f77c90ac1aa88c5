import type { z } from 'zod';
import type { CommerceConnector } from '../../connectors/types.js';
import type { AppContext } from '../app/context.js';
import { actionRunner } from '../commerce/action-executor.js';
import { getCommerceConnector } from '../commerce/resolve-connector.js';
import { loadRecordedTurn, type RecordedTurn } from '../conversations/record.js';
import { runTurn } from '../conversations/turn.js';
import { deliverTurn, type Delivered } from '../delivery/deliver.js';
import { HttpError, PermanentError } from '../errors.js';
import { pipelineFor, pipelineRuntimeFor } from '../pipeline/factory.js';
import type { Store } from '../store/stores.js';
import type { turnResponseSchema } from './schemas/conversations.js';

export type TurnResponse = z.infer<typeof turnResponseSchema>;

export type ApiTurnInput = {
  store: Store;
  channel: 'api' | 'widget';
  /** Absent: a new conversation is created by the turn. */
  conversationId?: string;
  customerEmail: string | null;
  customerName: string | null;
  text: string;
  /** Unique per customer message; derived from Idempotency-Key when the client sent one. */
  turnKey: string;
};

/**
 * One customer message from the REST API / widget, answered in the response: pipeline turn
 * (recorded once under its key), then delivery with no helpdesk (the reply is the HTTP answer):
 * an allowed action runs first, the reply is marked sent, escalation sets the status. A retried
 * request with the same key replays the recorded turn and delivery instead of running again.
 */
export async function runApiTurn(ctx: AppContext, input: ApiTurnInput): Promise<TurnResponse> {
  const { store } = input;
  let commerce: CommerceConnector;
  try {
    commerce = await getCommerceConnector(ctx, store);
  } catch (err) {
    if (err instanceof PermanentError) throw new HttpError(409, `this store's commerce platform is not usable: ${err.message}`);
    throw err;
  }
  let turn: RecordedTurn | null = await loadRecordedTurn(ctx.db, store.id, input.turnKey);
  if (!turn) {
    const graph = await pipelineFor(ctx, pipelineRuntimeFor(ctx), store, commerce);
    turn = await runTurn(ctx.db, graph, {
      store,
      channel: input.channel,
      externalTicketId: null,
      conversationId: input.conversationId,
      customerEmail: input.customerEmail,
      customerName: input.customerName,
      text: input.text,
      turnKey: input.turnKey,
    }, { notRecorded: true }); // just checked above
  }
  const delivered = await deliverTurn(
    {
      db: ctx.db,
      logger: ctx.logger,
      connector: null,
      runAction: actionRunner({ db: ctx.db, connector: commerce, settings: store.settings }, store.id),
    },
    {
      storeId: store.id,
      settings: store.settings,
      conversationId: turn.conversationId,
      assistantMessageId: turn.assistantMessageId,
      turnKey: input.turnKey,
      ticket: null,
      plan: turn.plan,
    },
  );
  ctx.logger.info(
    { storeId: store.id, conversationId: turn.conversationId, traceId: turn.traceId, intent: turn.intent, outcome: delivered.outcome },
    'api turn',
  );
  return turnResponse(ctx, store.id, turn, delivered);
}

async function turnResponse(ctx: AppContext, storeId: string, turn: RecordedTurn, delivered: Delivered): Promise<TurnResponse> {
  const actions = turn.plan.actionId
    ? await ctx.db('actions').where({ store_id: storeId, id: turn.plan.actionId }).select('id', 'action_type', 'status', 'order_number')
    : [];
  const reply = turn.assistantMessageId
    ? await ctx.db('messages').where({ store_id: storeId, id: turn.assistantMessageId }).first('status')
    : null;
  const awaiting = actions.some((a) => a.status === 'awaiting_approval');
  return {
    conversation_id: turn.conversationId,
    message_id: turn.userMessageId,
    reply_message_id: turn.assistantMessageId,
    response: delivered.replyText,
    intent: (turn.intent ?? null) as TurnResponse['intent'],
    confidence: turn.confidence === null || turn.confidence === undefined ? null : Number(turn.confidence),
    outcome: delivered.outcome,
    requires_action: actions.some((a) => a.status === 'proposed' || a.status === 'awaiting_approval'),
    pending_approval: reply?.status === 'pending_approval' || awaiting,
    actions_taken: actions.map((a) => ({ id: a.id, type: a.action_type, status: a.status, order_number: a.order_number ?? null })),
    escalated: delivered.outcome === 'escalated',
    trace_id: turn.traceId,
  };
}
