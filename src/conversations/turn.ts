import type { Knex } from 'knex';
import type { PipelineGraph } from '../pipeline/graph.js';
import type { DeliveryOutcome, PipelineInput, State } from '../pipeline/state.js';
import type { Store } from '../store/stores.js';
import { addMessage, findOrCreateConversation, loadHistory } from './repository.js';
import { recordTurn, loadRecordedTurn, type RecordedTurn } from './record.js';

export type TurnInput = {
  store: Store;
  channel: string;
  /** Helpdesk ticket id / email thread root; null for API conversations addressed by id. */
  externalTicketId: string | null;
  conversationId?: string;
  customerEmail: string | null;
  customerName: string | null;
  subject?: string | null;
  text: string;
  externalMessageId?: string | null;
  /** The inbound event this turn answers: the key of every write it leads to. */
  turnKey: string;
  inboundEventId?: string | null;
};

export type TurnResult = RecordedTurn & { replayed: boolean; state: State | null };

/**
 * One customer message through the pipeline, persisted: conversation, customer message, trace,
 * the bot's reply (pending delivery) and any proposed action. A retried job finds the turn already
 * recorded under its key and gets the same result back instead of running the model again.
 */
export async function runTurn(db: Knex, graph: PipelineGraph, input: TurnInput): Promise<TurnResult> {
  const conversation = input.conversationId
    ? await db('conversations').where({ store_id: input.store.id, id: input.conversationId }).first()
    : await findOrCreateConversation(db, {
        storeId: input.store.id,
        channel: input.channel,
        externalId: input.externalTicketId,
        customerEmail: input.customerEmail,
        subject: input.subject,
      });
  if (!conversation) throw new Error('conversation not found');

  const recorded = await loadRecordedTurn(db, input.store.id, input.turnKey);
  if (recorded) return { ...recorded, replayed: true, state: null };

  const userMessage = await addMessage(db, {
    storeId: input.store.id,
    conversationId: conversation.id,
    role: 'user',
    content: input.text,
    externalId: input.externalMessageId ?? `turn:${input.turnKey}`,
    metadata: { turnKey: input.turnKey },
  });
  // Loaded after the insert, without this message: an attempt that crashed before recording the turn
  // left it there, and it must not count as an earlier contact.
  const history = await loadHistory(db, conversation.id, userMessage.id);

  const pipelineInput: PipelineInput = {
    storeId: input.store.id,
    conversationId: conversation.id,
    channel: input.channel,
    text: input.text,
    requesterEmail: input.customerEmail?.toLowerCase() ?? conversation.customer_email ?? null,
    customerName: input.customerName,
    settings: input.store.settings,
    history,
    carriedOrderNumber: conversation.order_number,
  };
  const started = performance.now();
  const state = (await graph.invoke({ input: pipelineInput })) as State;
  const latencyMs = Math.round(performance.now() - started);
  const turn = await recordTurn(db, {
    store: input.store,
    conversation,
    userMessageId: userMessage.id,
    turnKey: input.turnKey,
    inboundEventId: input.inboundEventId ?? null,
    state,
    latencyMs,
  });
  return { ...turn, replayed: false, state };
}

export type { DeliveryOutcome };
