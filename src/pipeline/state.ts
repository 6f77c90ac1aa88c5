import { Annotation } from '@langchain/langgraph';
import type { Address } from '../domain/order.js';
import type { StoreSettings } from '../domain/settings.js';
import type { Understanding } from '../nlu/types.js';
import type { CheckResult, Decision, DraftReply, GatheredContext, TraceEntry } from './types.js';

export type PipelineInput = {
  storeId: string;
  conversationId: string;
  channel: string;
  /** The customer's message (already stripped of quoted history by the channel when it can). */
  text: string;
  requesterEmail: string | null;
  customerName: string | null;
  settings: StoreSettings;
  /** Earlier messages of this conversation, oldest first. */
  history: GatheredContext['history'];
  /** The order the conversation is already about (multi-turn carry-over). */
  carriedOrderNumber: string | null;
};

export type DeliveryOutcome = 'auto' | 'draft' | 'escalated' | 'off' | 'awaiting_approval';

/**
 * The graph state (seed: ConversationState): input, then each node's output. `trace` appends;
 * every other channel is replaced by the node that writes it.
 */
export const PipelineState = Annotation.Root({
  input: Annotation<PipelineInput>(),
  engine: Annotation<string>({ reducer: (_a, b) => b, default: () => 'local' }),
  understanding: Annotation<Understanding | null>({ reducer: (_a, b) => b, default: () => null }),
  newAddress: Annotation<Address | null>({ reducer: (_a, b) => b, default: () => null }),
  context: Annotation<GatheredContext | null>({ reducer: (_a, b) => b, default: () => null }),
  decision: Annotation<Decision | null>({ reducer: (_a, b) => b, default: () => null }),
  reply: Annotation<DraftReply | null>({ reducer: (_a, b) => b, default: () => null }),
  checkResult: Annotation<CheckResult | null>({ reducer: (_a, b) => b, default: () => null }),
  outcome: Annotation<{ outcome: DeliveryOutcome; reason: string; holding?: boolean } | null>({ reducer: (_a, b) => b, default: () => null }),
  trace: Annotation<TraceEntry[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
});

export type State = typeof PipelineState.State;
export type StateUpdate = typeof PipelineState.Update;
