import { z } from 'zod';
import { actionStatusSchema, actionTypeSchema, isoDateTime, uuid } from './common.js';

export const approveMessageBody = z
  .object({ content: z.string().trim().min(1).max(10_000).optional().describe('edited reply text to send instead of the draft') })
  .strict();

export const approveActionBody = z.object({}).strict();

export const rejectBody = z.object({ reason: z.string().trim().min(1).max(2000).optional() }).strict();

export const approvalsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();

const linkedActionSchema = z.object({
  id: uuid,
  action_type: actionTypeSchema,
  order_number: z.string().nullable(),
  status: actionStatusSchema,
  action_data: z.record(z.string(), z.unknown()),
});

export const approvalsSchema = z
  .object({
    drafts: z.array(
      z.object({
        message_id: uuid,
        conversation_id: uuid,
        content: z.string(),
        intent: z.string().nullable(),
        confidence: z.number().nullable(),
        created_at: isoDateTime,
        action: linkedActionSchema.nullable().describe('the store action this reply announces, run first on approval'),
      }),
    ),
    actions: z.array(
      z.object({
        id: uuid,
        conversation_id: uuid.nullable(),
        action_type: actionTypeSchema,
        order_number: z.string().nullable(),
        action_data: z.record(z.string(), z.unknown()),
        status: actionStatusSchema,
        reason: z.string().nullable().describe('why it needs approval'),
        created_at: isoDateTime,
      }),
    ),
  })
  .meta({ id: 'Approvals' });

export const queuedSchema = z.object({ status: z.literal('queued') });
export const rejectedSchema = z.object({ status: z.literal('rejected') });
