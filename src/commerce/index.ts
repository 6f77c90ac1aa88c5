/**
 * Commerce: order facts, store-level limits and order actions, for every platform.
 * - createOrderLookup (order-lookup.ts): order by number / by email, 5-minute cache, stale fallback.
 * - checkAction (policy-limits.ts): THE store-level limits (ownership, order state, refund limit, daily cap).
 * - insertAction / countCustomerActionsToday (actions.ts), executeAction (action-executor.ts),
 *   runStoreAction (run-action.ts): exactly-once order actions.
 * - getCommerceConnector (resolve-connector.ts): demo tables or Shopify, per store.
 * - ERROR_TEXTS (error-texts.ts): the seed's user-facing texts.
 */
export { createOrderLookup, OrderLookupError, DEFAULT_ORDER_TTL_MS, type OrderLookup, type OrderLookupResult } from './order-lookup.js';
export {
  checkAction,
  checkOrderFacts,
  refundableAmount,
  ACTION_TYPES,
  type ActionType,
  type CheckActionInput,
  type CheckActionResult,
  type RefusalCode,
  type ApprovalCode,
} from './policy-limits.js';
export { insertAction, countCustomerActionsToday, actionDataSchemas, type InsertActionInput, type ActionData } from './actions.js';
export { executeAction, reconcileFromOrder, type ExecuteDeps, type ExecuteResult } from './action-executor.js';
export { runStoreAction } from './run-action.js';
export { getCommerceConnector, getShopifyConnector, type ConnectorIo } from './resolve-connector.js';
export { ERROR_TEXTS, errorText, type CommerceErrorCode } from './error-texts.js';
export { rowToOrder, upsertOrder, invalidateCachedOrder } from './order-repository.js';
