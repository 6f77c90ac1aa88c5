import type { Knex } from 'knex';
import type { PipelineGraph } from '../pipeline/graph.js';
import type { DeliveryOutcome, PipelineInput, State } from '../pipeline/state.js';
import type { Store } from '../store/stores.js';
import {
  addMessage,
  createConversation,
  findOrCreateConversation,
  loadHistory,
  startConversation,
  type ConversationRow,
  type NewConversation,
} from './repository.js';
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
  /** Helpdesk ids of the customer messages this turn answers, when it answers a burst (burst.ts). */
  covers?: string[];
  /**
   * When the message arrived (ISO), kept on the customer message: the email ticket orders a
   * thread by arrival, and after a backlog a job records its message long after that.
   */
  receivedAt?: string;
  /** The inbound event this turn answers: the key of every write it leads to. */
  turnKey: string;
  inboundEventId?: string | null;
  /** The connector that will post an automatic reply (its ledger entry is recorded with the turn). */
  replyTarget?: string | null;
};

export type TurnResult = RecordedTurn & { replayed: boolean; state: State | null };

/** What the caller already knows, so the turn does not read it again. */
export type TurnOptions = {
  /**
   * The caller looked the turn up under its key and found none. A concurrent attempt recording it
   * first is still caught: the trace's unique (store, turn_key) rolls the second record back.
   */
  notRecorded?: boolean;
  /** The thread's conversation as the caller just read it; null = the thread has none yet. */
  conversation?: ConversationRow | null;
};

/**
 * One customer message through the pipeline, persisted: conversation, customer message, trace,
 * the bot's reply (pending delivery) and any proposed action. A retried job finds the turn already
 * recorded under its key and gets the same result back instead of running the model again.
 */
export async function runTurn(db: Knex, graph: PipelineGraph, input: TurnInput, opts: TurnOptions = {}): Promise<TurnResult> {
  const first = {
    content: input.text,
    externalId: input.externalMessageId ?? `turn:${input.turnKey}`,
    metadata: {
      turnKey: input.turnKey,
      ...(input.covers && input.covers.length > 1 ? { covers: input.covers } : {}),
      ...(input.receivedAt ? { receivedAt: input.receivedAt } : {}),
    },
  };
  // A new thread (the caller saw no conversation, and the turn cannot be recorded without one):
  // conversation and customer message in one statement, and no history to load.
  const fresh = opts.conversation === null && opts.notRecorded ? await startConversation(db, threadOf(input), first) : null;
  let conversation: ConversationRow;
  let userMessageId: string;
  let history: PipelineInput['history'] = [];
  if (fresh) {
    conversation = fresh.conversation;
    userMessageId = fresh.messageId;
  } else {
    const found = await conversationFor(db, input, opts);
    if (!found.conversation) throw new Error('conversation not found');
    conversation = found.conversation;
    if (!opts.notRecorded) {
      const recorded = await loadRecordedTurn(db, input.store.id, input.turnKey);
      if (recorded) return { ...recorded, replayed: true, state: null };
    }
    const userMessage = await addMessage(db, { storeId: input.store.id, conversationId: conversation.id, role: 'user', ...first });
    userMessageId = userMessage.id;
    // Loaded after the insert, without this message: an attempt that crashed before recording the
    // turn left it there, and it must not count as an earlier contact. A conversation this call
    // created has no earlier messages.
    if (!found.created) history = await loadHistory(db, conversation.id, userMessage.id);
  }

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
    userMessageId,
    turnKey: input.turnKey,
    inboundEventId: input.inboundEventId ?? null,
    state,
    latencyMs,
    replyTarget: input.replyTarget,
  });
  return { ...turn, replayed: false, state };
}

/** The turn's conversation: by id (API), as the caller read it, or found/created for the thread. */
async function conversationFor(
  db: Knex,
  input: TurnInput,
  opts: TurnOptions,
): Promise<{ conversation: ConversationRow | undefined; created: boolean }> {
  if (input.conversationId) {
    return { conversation: await db('conversations').where({ store_id: input.store.id, id: input.conversationId }).first(), created: false };
  }
  const thread = threadOf(input);
  if (opts.conversation) return { conversation: opts.conversation, created: false };
  if (opts.conversation === null) return createConversation(db, thread);
  return { conversation: await findOrCreateConversation(db, thread), created: false };
}

function threadOf(input: TurnInput): NewConversation {
  return {
    storeId: input.store.id,
    channel: input.channel,
    externalId: input.externalTicketId,
    customerEmail: input.customerEmail,
    subject: input.subject,
  };
}

export type { DeliveryOutcome };
