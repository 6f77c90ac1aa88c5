/**
 * Runs one `actions` row against the store's platform, exactly once.
 *
 * API: `executeAction({ db, connector, now? }, { storeId, actionId })` → ExecuteResult.
 * Throws only transient failures (RetryableError and unknown errors): the job retries and this
 * function picks up where it stopped. Everything else ends in a status on the row.
 *
 * 1. Load the row; completed/failed/rejected rows answer their recorded outcome, an
 *    `awaiting_approval` row waits for a human.
 * 2. Read the order from the platform (the truth right now, not the cache).
 * 3. If an earlier attempt recorded the external write and may have sent it (crash between
 *    "recorded" and "sent"), reconcile from the order: cancelled already, a refund carrying our
 *    key, the address already equal, a return already requested → completed without a second call.
 * 4. Re-check policy-limits. An action a person approved (`approved_by` set) skips only the
 *    approval-type limits; ownership and order state are always checked.
 * 5. performOnce (src/store/external-writes.ts) with the action's idempotency key, then record
 *    completed/failed and refresh the order cache.
 */
import type { Knex } from 'knex';
import type { ActionResult, CommerceConnector } from '../../connectors/types.js';
import type { Order } from '../domain/order.js';
import { parseSettings, type StoreSettings } from '../domain/settings.js';
import { AppError, PermanentError } from '../errors.js';
import { performOnce } from '../store/external-writes.js';
import { actionDataSchemas, countCustomerActionsToday, type ActionData } from './actions.js';
import { sameAddress } from './address.js';
import { ERROR_TEXTS } from './error-texts.js';
import { hasRefMarker } from './idempotency.js';
import { invalidateCachedOrder, upsertOrder } from './order-repository.js';
import { checkAction, type ActionType } from './policy-limits.js';

export type ExecuteDeps = { db: Knex; connector: CommerceConnector; now?: () => Date; settings?: StoreSettings };

export type ExecuteResult =
  | { status: 'completed'; actionId: string; replayed: boolean; externalId: string | null }
  | { status: 'awaiting_approval'; actionId: string; code: string; reason: string }
  | { status: 'failed'; actionId: string; code: string; reason: string; userMessage: string }
  | { status: 'rejected'; actionId: string; reason: string };

/** The platform said no (userErrors, or the demo store's own rules). */
class VendorRefusal extends AppError {}

type ActionRow = {
  id: string;
  store_id: string;
  action_type: ActionType;
  order_number: string | null;
  customer_email: string | null;
  action_data: unknown;
  status: string;
  idempotency_key: string;
  result: unknown;
  error_message: string | null;
  approved_by: string | null;
};

export async function executeAction(deps: ExecuteDeps, ref: { storeId: string; actionId: string }): Promise<ExecuteResult> {
  const { db, connector } = deps;
  const now = deps.now ?? (() => new Date());
  const row = (await db('actions').where({ id: ref.actionId, store_id: ref.storeId }).first()) as ActionRow | undefined;
  if (!row) throw new PermanentError(`action ${ref.actionId} not found in this store`);
  const done = recordedOutcome(row);
  if (done) return done;

  const fail = async (code: string, reason: string): Promise<ExecuteResult> => {
    await db('actions').where({ id: row.id }).update({ status: 'failed', error_message: reason.slice(0, 2000), result: JSON.stringify({ ok: false, code, reason }) });
    return { status: 'failed', actionId: row.id, code, reason, userMessage: ERROR_TEXTS.action_failed };
  };

  const parsed = actionDataSchemas[row.action_type]?.safeParse(typeof row.action_data === 'string' ? JSON.parse(row.action_data) : row.action_data);
  if (!parsed?.success || !row.order_number) return fail('invalid_action', 'the action has no valid order number or data');
  const data = parsed.data;

  // 2. The platform's current order (a transient failure throws: the job retries).
  let order: Order | null;
  try {
    order = await connector.getOrderByNumber(row.order_number);
  } catch (err) {
    if (err instanceof PermanentError) return fail('platform_error', err.message);
    throw err;
  }
  if (!order) return fail('order_not_found', `order ${row.order_number} not found`);

  const complete = async (externalId: string | null, result: unknown, replayed: boolean): Promise<ExecuteResult> => {
    await db('actions')
      .where({ id: row.id })
      .update({ status: 'completed', result: JSON.stringify(result ?? null), error_message: null, completed_at: now() });
    await refreshCache(deps, ref.storeId, row, data, order);
    return { status: 'completed', actionId: row.id, replayed, externalId };
  };
  const spec = { storeId: ref.storeId, idempotencyKey: row.idempotency_key, target: connector.kind, operation: row.action_type };

  // 3. A previous attempt may have reached the platform: look before acting again.
  const prior = await db('external_writes').where({ store_id: ref.storeId, idempotency_key: row.idempotency_key }).first('status', 'attempts');
  if (prior?.status === 'sent' || (prior && prior.attempts > 0)) {
    const found = prior.status === 'sent' ? null : reconcileFromOrder(row.action_type, row.idempotency_key, data, order);
    if (prior.status === 'sent' || found) {
      const out = await performOnce(db, { ...spec, execute: () => Promise.reject(new Error('already performed')), reconcile: async () => found });
      return complete(out.result.externalId ?? null, out.result, true);
    }
  }

  // 4. Policy at execution time (settings or the order may have changed since the decision).
  const settings = deps.settings ?? parseSettings((await db('stores').where({ id: ref.storeId }).first('settings'))?.settings);
  const verdict = checkAction({
    action: row.action_type,
    order,
    amount: row.action_type === 'refund' ? (data as ActionData<'refund'>).amount : undefined,
    settings,
    actionsTodayForCustomer: await countCustomerActionsToday(db, ref.storeId, row.customer_email, now(), row.id),
    requesterEmail: row.customer_email,
    // Only a person's approval (approved_by recorded) waives approval-type limits; an action the
    // pipeline marked `approved` for automatic delivery is checked in full again.
    approved: row.status === 'approved' && Boolean(row.approved_by),
  });
  if (verdict.allowed === false) return fail(verdict.code, verdict.reason);
  if (verdict.allowed === 'needs_approval') {
    await db('actions')
      .where({ id: row.id })
      .update({ status: 'awaiting_approval', error_message: null, result: JSON.stringify({ code: verdict.code, reason: verdict.reason }) });
    return { status: 'awaiting_approval', actionId: row.id, code: verdict.code, reason: verdict.reason };
  }

  // 5. Exactly once.
  try {
    const out = await performOnce(db, {
      ...spec,
      execute: async () => {
        const r = await run(connector, row.action_type, data, order, row.idempotency_key);
        if (!r.ok) throw new VendorRefusal(r.reason);
        return { externalId: r.externalId, detail: r.detail };
      },
      reconcile: async () => reconcileFromOrder(row.action_type, row.idempotency_key, data, order),
    });
    return complete(out.result.externalId ?? null, { ok: true, ...out.result }, out.replayed);
  } catch (err) {
    if (err instanceof VendorRefusal) return fail('platform_refused', err.message);
    if (err instanceof PermanentError) return fail('platform_error', err.message);
    await db('actions').where({ id: row.id }).update({ error_message: `will retry: ${(err as Error).message}`.slice(0, 2000) });
    throw err;
  }
}

function recordedOutcome(row: ActionRow): ExecuteResult | null {
  const result = (typeof row.result === 'string' ? JSON.parse(row.result) : row.result) as Record<string, unknown> | null;
  switch (row.status) {
    case 'completed':
      return { status: 'completed', actionId: row.id, replayed: true, externalId: (result?.externalId as string | undefined) ?? null };
    case 'failed':
      return { status: 'failed', actionId: row.id, code: String(result?.code ?? 'failed'), reason: row.error_message ?? 'failed', userMessage: ERROR_TEXTS.action_failed };
    case 'rejected':
      return { status: 'rejected', actionId: row.id, reason: row.error_message ?? 'rejected by a person' };
    case 'awaiting_approval':
      return { status: 'awaiting_approval', actionId: row.id, code: String(result?.code ?? 'needs_approval'), reason: String(result?.reason ?? 'waiting for approval') };
    default:
      return null; // proposed | approved: run it
  }
}

function run(connector: CommerceConnector, type: ActionType, data: unknown, order: Order, key: string): Promise<ActionResult> {
  const opts = { idempotencyKey: key };
  switch (type) {
    case 'cancel_order': {
      const d = data as ActionData<'cancel_order'>;
      return connector.cancelOrder(order, { reason: d.reason, refund: d.refund, restock: d.restock }, opts);
    }
    case 'refund': {
      const d = data as ActionData<'refund'>;
      return connector.refund(order, { amount: d.amount, lineItemIds: d.lineItemIds, reason: d.reason }, opts);
    }
    case 'address_change':
      return connector.updateShippingAddress(order, (data as ActionData<'address_change'>).address, opts);
    case 'return_request': {
      const d = data as ActionData<'return_request'>;
      return connector.requestReturn(order, { lineItemIds: d.lineItemIds, reason: d.reason }, opts);
    }
  }
}

/** The store action as the delivery step runs it (its ActionRunner): done, or why not. */
export function actionRunner(deps: ExecuteDeps, storeId: string) {
  return async (actionId: string): Promise<{ ok: true } | { ok: false; reason: string }> => {
    const r = await executeAction(deps, { storeId, actionId });
    return r.status === 'completed' ? { ok: true } : { ok: false, reason: r.reason };
  };
}

/** Whether the order already shows this action's effect (see step 3). */
export function reconcileFromOrder(type: ActionType, key: string, data: unknown, order: Order): { externalId: string } | null {
  switch (type) {
    case 'cancel_order':
      return order.state === 'cancelled' || order.cancelledAt ? { externalId: order.externalId } : null;
    case 'refund': {
      const r = order.refunds?.find((x) => hasRefMarker(x.note, key));
      return r ? { externalId: r.id } : null;
    }
    case 'address_change':
      return sameAddress(order.shippingAddress, (data as ActionData<'address_change'>).address) ? { externalId: order.externalId } : null;
    case 'return_request':
      return order.returnStatus && ['requested', 'open', 'closed'].includes(order.returnStatus) ? { externalId: order.externalId } : null;
  }
}

/** Shopify: re-read and cache the order; if the change is not visible yet, make the next lookup ask again. */
async function refreshCache(deps: ExecuteDeps, storeId: string, row: ActionRow, data: unknown, before: Order): Promise<void> {
  if (deps.connector.kind === 'demo') return; // the tables are the source and already changed
  try {
    const fresh = row.order_number ? await deps.connector.getOrderByNumber(row.order_number) : null;
    if (fresh) await upsertOrder(deps.db, storeId, fresh, { now: deps.now?.() });
    if (!fresh || !reconcileFromOrder(row.action_type, row.idempotency_key, data, fresh)) {
      await invalidateCachedOrder(deps.db, storeId, before.externalId);
    }
  } catch {
    await invalidateCachedOrder(deps.db, storeId, before.externalId).catch(() => {});
  }
}
