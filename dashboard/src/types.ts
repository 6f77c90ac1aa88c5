/**
 * Shapes of the public API (/api/v1) as the dashboard reads them. Fields the server may omit are
 * optional: the dashboard shows what is there and never assumes more.
 */

// The server's own lists: the dashboard filters and settings offer exactly what the API accepts.
export { INTENTS, SENTIMENTS } from '../../src/domain/intents';
export const STATUSES = ['active', 'resolved', 'escalated', 'abandoned', 'closed'] as const;
export const CHANNELS = ['widget', 'api', 'email', 'gorgias', 'zendesk'] as const;
export const OUTCOMES = ['auto', 'draft', 'escalated', 'awaiting_approval', 'off'] as const;
export const MODES = ['off', 'draft', 'auto'] as const;
export type Mode = (typeof MODES)[number];

export type Me = {
  store: { id: string; slug: string; name: string; platform?: string; status?: string } | null;
  key: { id: string; name: string; prefix?: string; permissions: string[] };
};

export type ConversationSummary = {
  id: string;
  channel: string;
  status: string;
  primary_intent: string | null;
  sentiment: string | null;
  priority?: string | null;
  customer_email: string | null;
  order_number?: string | null;
  subject?: string | null;
  created_at: string;
  updated_at: string;
  last_message?: { role: string; content: string; created_at: string } | null;
  last_outcome?: string | null;
};

export type Page<T> = { data: T[]; next_cursor: string | null };

export type Message = {
  id: string;
  role: string;
  content: string;
  delivery: string | null;
  status: string;
  intent?: string | null;
  confidence?: number | null;
  sentiment?: string | null;
  language?: string | null;
  created_at: string;
};

export type TraceNode = {
  node: string;
  startedAt?: string;
  latencyMs?: number;
  output?: unknown;
  model?: string;
  tokens?: number;
  costUsd?: number;
  note?: string;
};

export type Citation = { chunkId?: string; documentTitle?: string; heading?: string | null; excerpt?: string };

export type Trace = {
  id: string;
  message_id: string | null;
  engine: string;
  outcome: string;
  intent: string | null;
  confidence: number | null;
  nodes: TraceNode[];
  citations: Citation[];
  total_tokens: number;
  cost_usd: number | string;
  latency_ms: number;
  created_at: string;
};

export type Action = {
  id: string;
  conversation_id?: string | null;
  message_id?: string | null;
  action_type: string;
  order_number: string | null;
  action_data?: Record<string, unknown>;
  status: string;
  reason?: string | null;
  error_message?: string | null;
  created_at: string;
};

export type ConversationDetail = ConversationSummary & {
  resolution_summary?: string | null;
  csat_score?: number | null;
  messages: Message[];
  traces: Trace[];
  actions: Action[];
};

export type TurnResult = {
  conversation_id: string;
  message_id: string;
  reply_message_id?: string | null;
  response: string | null;
  intent: string | null;
  confidence: number | null;
  outcome: string;
  requires_action?: boolean;
  pending_approval?: boolean;
  actions_taken?: { id: string; type: string; status: string; order_number: string | null }[];
  escalated?: boolean;
  trace_id?: string | null;
};

export type DraftApproval = {
  message_id: string;
  conversation_id: string;
  content: string;
  intent: string | null;
  confidence: number | null;
  created_at: string;
  customer_email?: string | null;
  action?: Action | null;
};

export type Approvals = { drafts: DraftApproval[]; actions: Action[] };

/** GET …/inbound-events/summary: what waits on the bot (and since when), and what failed. */
export type DeliverySummary = { pending: number; oldest_pending_s: number | null; dead: number; rate_limited: number };

/** A delivery (webhook, email, Shopify event) that did not get through: GET …/inbound-events. */
export type Delivery = {
  id: string;
  source: string;
  event_type: string;
  ticket_id: string | null;
  status: string;
  attempts: number;
  error: string | null;
  /** Why the bot left a skipped event alone (superseded, human_replied…). */
  skip_reason: string | null;
  /** False for a delivery that could not be read at all: kept for inspection, never replayed. */
  retryable: boolean;
  conversation_id: string | null;
  received_at: string;
  processed_at: string | null;
};

/** null in a PATCH clears a field (back to its default). */
export type EscalationTarget = { teamId?: string | null; groupId?: string | null; assigneeId?: string | null };

export type Settings = {
  modes: Record<string, Mode | undefined> & { default: Mode };
  confidence_threshold: number;
  escalation_threshold: number;
  auto_refund_limit: number;
  high_value_threshold: number;
  max_actions_per_customer_per_day: number;
  max_auto_replies_per_thread_per_day: number;
  reply_delay_s: number;
  escalation: { zendesk: EscalationTarget; gorgias: EscalationTarget; email: { forwardTo?: string | null } };
  tags: { enabled: boolean; prefix: string };
  business_hours: {
    enabled: boolean;
    timezone: string;
    days: number[];
    start: string;
    end: string;
    outsideHours: 'draft' | 'holding_reply';
  };
  brand_voice: string;
  signature: string;
  default_language: string;
  channels: Record<string, boolean>;
};

export type StoreView = { id: string; slug: string; name: string; platform?: string; settings: Settings };

export type Connector = {
  kind: string;
  source?: string;
  meta: Record<string, unknown>;
  updatedAt: string | null;
  webhookUrl?: string;
};

export type KnowledgeDocument = {
  id: string;
  title: string;
  source: string;
  sourceRef?: string;
  format?: string;
  category: string | null;
  language?: string;
  status: string;
  chunks: number;
  embeddedChunks?: number;
  createdAt?: string;
  updatedAt?: string;
};

export type KnowledgeHit = {
  chunkId: string;
  documentId?: string;
  documentTitle: string;
  heading: string | null;
  headingPath?: string;
  content: string;
  score: number;
  sources?: string[];
};

export type ActionCounts = { completed?: number; failed?: number; awaiting_approval?: number; rejected?: number };

export type Analytics = {
  total_conversations: number;
  automation_rate: number;
  avg_response_time_ms: number | null;
  escalation_rate: number;
  resolution_rate: number;
  csat_average: number | null;
  intents: Record<string, number>;
  actions: Record<string, ActionCounts>;
  outcomes: Record<string, number>;
  start_date?: string;
  end_date?: string;
  automated_conversations?: number;
  escalated_conversations?: number;
  resolved_conversations?: number;
  avg_processing_time_ms?: number | null;
  csat_responses?: number;
  cost_usd?: number;
  tokens?: number;
  daily: { date: string; conversations: number; automated: number; escalated: number; avg_response_time_ms?: number | null }[];
};
