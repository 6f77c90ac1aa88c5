/**
 * The `actions` table: what the pipeline proposes and the executor runs.
 *
 * API for the pipeline:
 * - `insertAction(db, input)` → the action id (idempotent on the idempotency key: a retried job gets
 *   the same row back). `data` per type is `ActionData` below.
 * - `countCustomerActionsToday(db, storeId, email, now)` → completed actions for this customer in
 *   the last 24 h (the `actionsTodayForCustomer` of checkAction).
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { ACTION_TYPES, type ActionType } from './policy-limits.js';

const addressSchema = z.object({
  name: z.string().max(200).optional(),
  address1: z.string().min(1).max(300),
  address2: z.string().max(300).optional(),
  city: z.string().min(1).max(200),
  province: z.string().max(100).optional(),
  zip: z.string().min(1).max(40),
  country: z.string().min(2).max(100),
});

/** `action_data` per action type. */
export const actionDataSchemas = {
  cancel_order: z.object({
    reason: z.string().max(300).default('customer request'),
    refund: z.boolean().default(true),
    restock: z.boolean().default(true),
    amount: z.number().optional(),
  }),
  refund: z.object({
    amount: z.number().positive(),
    lineItemIds: z.array(z.string()).optional(),
    reason: z.string().max(300).default('customer request'),
  }),
  address_change: z.object({ address: addressSchema, reason: z.string().max(300).optional() }),
  return_request: z.object({
    lineItemIds: z.array(z.string()).default([]),
    reason: z.string().max(300).default('customer request'),
    amount: z.number().optional(),
  }),
} satisfies Record<ActionType, z.ZodType>;

export type ActionData<T extends ActionType> = z.infer<(typeof actionDataSchemas)[T]>;

export type InsertActionInput = {
  storeId: string;
  type: ActionType;
  orderNumber: string;
  customerEmail: string | null;
  data: z.input<(typeof actionDataSchemas)[ActionType]>;
  /** Deterministic per conversation message and action, e.g. `act-<messageId>-cancel_order`. */
  idempotencyKey: string;
  conversationId?: string | null;
  messageId?: string | null;
};

export async function insertAction(db: Knex, input: InsertActionInput): Promise<string> {
  if (!ACTION_TYPES.includes(input.type)) throw new Error(`unknown action type ${input.type}`);
  const data = actionDataSchemas[input.type].parse(input.data);
  const inserted = await db('actions')
    .insert({
      store_id: input.storeId,
      conversation_id: input.conversationId ?? null,
      message_id: input.messageId ?? null,
      action_type: input.type,
      order_number: input.orderNumber,
      customer_email: input.customerEmail?.trim().toLowerCase() ?? null,
      action_data: JSON.stringify(data),
      idempotency_key: input.idempotencyKey,
    })
    .onConflict(['store_id', 'idempotency_key'])
    .ignore()
    .returning('id');
  if (inserted[0]) return String((inserted[0] as { id: string }).id);
  const row = await db('actions').where({ store_id: input.storeId, idempotency_key: input.idempotencyKey }).first('id');
  return String(row.id);
}

/** Completed actions for this customer in the 24 hours before `now` (optionally excluding one). */
export async function countCustomerActionsToday(
  db: Knex,
  storeId: string,
  email: string | null,
  now: Date = new Date(),
  excludeActionId?: string,
): Promise<number> {
  if (!email) return 0;
  const q = db('actions')
    .where({ store_id: storeId, status: 'completed' })
    .whereRaw('lower(customer_email) = ?', [email.trim().toLowerCase()])
    .where('completed_at', '>', new Date(now.getTime() - 24 * 3600_000));
  if (excludeActionId) q.whereNot({ id: excludeActionId });
  const [row] = await q.count<{ count: string | number }[]>({ count: '*' });
  return Number(row?.count ?? 0);
}
