import { z } from 'zod';
import { INTENTS, PRIORITIES, SENTIMENTS } from '../../domain/intents.js';
import { PERMISSIONS } from '../../security/api-keys.js';

/**
 * Shapes shared by the REST API's request validation and its OpenAPI document (one source:
 * what is validated is what is documented).
 */
export const isoDateTime = z.iso.datetime({ offset: true });
export const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a uuid');

export const intentSchema = z.enum(INTENTS);
export const sentimentSchema = z.enum(SENTIMENTS);
export const prioritySchema = z.enum(PRIORITIES);
export const permissionSchema = z.enum(PERMISSIONS);
export const channelSchema = z.enum(['widget', 'api', 'email', 'gorgias', 'zendesk']);
export const conversationStatusSchema = z.enum(['active', 'resolved', 'escalated', 'abandoned', 'closed']);
export const outcomeSchema = z.enum(['auto', 'draft', 'escalated', 'off', 'awaiting_approval']);
export const actionTypeSchema = z.enum(['cancel_order', 'refund', 'address_change', 'return_request']);
export const actionStatusSchema = z.enum(['proposed', 'awaiting_approval', 'approved', 'completed', 'failed', 'rejected']);

/** Every error answer: `{ "error": { "status", "message", "details"? } }` (src/http/middleware/errors.ts). */
export const errorSchema = z
  .object({
    error: z.object({
      status: z.number().int(),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

/** `Idempotency-Key` header: a retried POST with the same key answers the first result. */
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

export const idParams = z.object({ id: uuid });
export const storeParams = z.object({ storeId: z.string().min(1).max(100).describe('store uuid or slug') });
