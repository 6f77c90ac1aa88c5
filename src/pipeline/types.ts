import type { Intent, Priority } from '../domain/intents.js';
import type { Address, Order } from '../domain/order.js';
import type { Passage } from '../knowledge/retrieve.js';
import type { ProductInfo } from './product-facts.js';

export type ActionType = 'cancel_order' | 'refund' | 'address_change' | 'return_request';

/** A store action the pipeline proposes. Amounts come from order facts, never from the message. */
export type ProposedAction = {
  type: ActionType;
  orderNumber: string;
  amount?: number;
  lineItemIds?: string[];
  address?: Address;
  reason: string;
};

export type ActionVerdict =
  | { status: 'allowed' }
  | { status: 'needs_approval'; reason: string }
  | { status: 'refused'; code: string; reason: string };

export type Ownership = 'verified' | 'mismatch' | 'unknown_requester' | 'no_order';

export type EscalationReason =
  | 'human_requested'
  | 'frustrated_after_attempt'
  | 'legal_or_safety'
  | 'high_value_order'
  | 'repeat_contact'
  | 'low_confidence'
  | 'outside_procedures'
  | 'integration_error'
  | 'action_failed';

export type Escalation = { reason: EscalationReason; priority: Priority; detail: string };

/**
 * What the reply must say, as a closed set the responders (templates or LLM) render. The LLM
 * writes the words; this decides the substance.
 */
export type ReplyPlan =
  | 'order_status'
  | 'order_list'
  | 'ask_order_number'
  | 'ask_email'
  | 'verify_identity'
  | 'order_not_found'
  | 'integration_error'
  | 'action_done'
  | 'action_pending_approval'
  | 'action_refused'
  | 'ask_address'
  | 'policy_answer'
  | 'product_info'
  | 'handoff'
  | 'acknowledge';

export type Decision = {
  ownership: Ownership;
  action: ProposedAction | null;
  verdict: ActionVerdict | null;
  escalation: Escalation | null;
  plan: ReplyPlan;
  /** Human-readable reasons, for the trace and the draft note. */
  notes: string[];
};

export type OrderContext = {
  order: Order | null;
  /** The requester's recent orders (by their email), when no order number was given. */
  candidates: Order[];
  /** Served from the cache because the store platform did not answer. */
  stale: boolean;
  lookupError: 'order_not_found' | 'integration_error' | null;
};

export type GatheredContext = {
  orders: OrderContext;
  passages: Passage[];
  customer: { externalId: string; name: string | null; totalOrders: number; totalSpent: number } | null;
  /** Earlier messages of the conversation, oldest first. */
  history: { role: 'user' | 'assistant' | 'agent'; content: string; intent?: string | null; confidence?: number | null }[];
  /** Store actions done automatically today for this customer (rate cap). */
  actionsToday: number;
  /** Catalogue facts for the products the message names. */
  products: ProductInfo[];
};

export type DraftReply = {
  text: string;
  language: string;
  /** Which renderer wrote it: a template id or the LLM model. */
  author: string;
  tokens: number;
  costUsd: number;
};

export type CheckResult = { ok: true } | { ok: false; problems: string[] };

export type TraceEntry = {
  node: string;
  startedAt: string;
  latencyMs: number;
  output: unknown;
  model?: string;
  tokens?: number;
  costUsd?: number;
  note?: string;
};

export type { Intent };
