import { z } from 'zod';
import {
  actionStatusSchema,
  actionTypeSchema,
  channelSchema,
  conversationStatusSchema,
  intentSchema,
  isoDateTime,
  outcomeSchema,
  prioritySchema,
  sentimentSchema,
  uuid,
} from './common.js';

const messageText = z.string().trim().min(1, 'must not be empty').max(10_000);

// ---- requests ----

export const createConversationBody = z
  .object({
    channel: z.enum(['widget', 'api']).default('api'),
    customer_email: z.string().trim().toLowerCase().email().max(320).optional(),
    customer_name: z.string().trim().min(1).max(200).optional(),
    initial_message: messageText,
  })
  .strict();

export const sendMessageBody = z.object({ content: messageText }).strict();

export const escalateBody = z.object({ reason: z.string().trim().min(1).max(2000) }).strict();

export const resolveBody = z
  .object({
    resolution_summary: z.string().trim().min(1).max(5000),
    csat_score: z.number().int().min(1).max(5).optional(),
  })
  .strict();

export const listConversationsQuery = z
  .object({
    status: conversationStatusSchema.optional(),
    intent: intentSchema.optional(),
    sentiment: sentimentSchema.optional(),
    channel: channelSchema.optional(),
    outcome: outcomeSchema.optional().describe('outcome of the latest turn'),
    q: z.string().trim().min(1).max(200).optional().describe('searches message text and order number (case-insensitive)'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(200).optional().describe('next_cursor of the previous page'),
  })
  .strict();

// ---- responses ----

export const actionTakenSchema = z.object({
  id: uuid,
  type: actionTypeSchema,
  status: actionStatusSchema,
  order_number: z.string().nullable(),
});

export const turnResponseSchema = z
  .object({
    conversation_id: uuid,
    message_id: uuid.describe("the customer's message"),
    reply_message_id: uuid.nullable().describe("the bot's reply (sent or draft); approve drafts with /messages/{id}/approve"),
    response: z.string().nullable().describe('the reply, when it was sent; null for a draft awaiting approval or mode off'),
    intent: intentSchema.nullable(),
    confidence: z.number().nullable(),
    outcome: outcomeSchema,
    requires_action: z.boolean().describe('a store action (cancel, refund…) waits for a person'),
    pending_approval: z.boolean().describe('the reply or an action waits for approval'),
    actions_taken: z.array(actionTakenSchema),
    escalated: z.boolean(),
    trace_id: uuid,
  })
  .meta({ id: 'TurnResult' });

export const conversationSummarySchema = z.object({
  id: uuid,
  channel: z.string(),
  status: z.string(),
  primary_intent: z.string().nullable(),
  sentiment: z.string().nullable(),
  priority: z.string(),
  customer_email: z.string().nullable(),
  order_number: z.string().nullable(),
  created_at: isoDateTime,
  updated_at: isoDateTime,
  last_message: z.object({ role: z.string(), content: z.string(), created_at: isoDateTime }).nullable(),
  last_outcome: outcomeSchema.nullable(),
});

export const conversationListSchema = z
  .object({ data: z.array(conversationSummarySchema), next_cursor: z.string().nullable() })
  .meta({ id: 'ConversationList' });

export const messageSchema = z.object({
  id: uuid,
  role: z.enum(['user', 'assistant', 'agent', 'system']),
  content: z.string(),
  delivery: z.enum(['public', 'draft', 'internal']).nullable(),
  status: z.string().describe('sent | pending (being delivered) | pending_approval | rejected | failed'),
  intent: z.string().nullable(),
  confidence: z.number().nullable(),
  sentiment: z.string().nullable(),
  language: z.string().nullable(),
  created_at: isoDateTime,
});

export const traceSchema = z.object({
  id: uuid,
  message_id: uuid.nullable(),
  engine: z.string(),
  outcome: z.string(),
  intent: z.string().nullable(),
  confidence: z.number().nullable(),
  nodes: z.array(z.unknown()),
  citations: z.array(z.unknown()),
  total_tokens: z.number().int(),
  cost_usd: z.number(),
  latency_ms: z.number().int(),
  created_at: isoDateTime,
});

export const actionSchema = z.object({
  id: uuid,
  action_type: actionTypeSchema,
  order_number: z.string().nullable(),
  status: actionStatusSchema,
  action_data: z.record(z.string(), z.unknown()),
  result: z.unknown().nullable(),
  error_message: z.string().nullable(),
  created_at: isoDateTime,
  completed_at: isoDateTime.nullable(),
});

export const conversationDetailSchema = z
  .object({
    id: uuid,
    status: z.string(),
    channel: z.string(),
    customer_email: z.string().nullable(),
    primary_intent: z.string().nullable(),
    sentiment: z.string().nullable(),
    priority: prioritySchema.or(z.string()),
    order_number: z.string().nullable(),
    resolution_summary: z.string().nullable(),
    csat_score: z.number().int().nullable(),
    created_at: isoDateTime,
    updated_at: isoDateTime,
    resolved_at: isoDateTime.nullable(),
    messages: z.array(messageSchema),
    traces: z.array(traceSchema),
    actions: z.array(actionSchema),
  })
  .meta({ id: 'Conversation' });

export const escalatedSchema = z.object({ escalated: z.literal(true), ticket_id: z.string() });
export const resolvedSchema = z.object({ resolved: z.literal(true) });

export { channelSchema };
