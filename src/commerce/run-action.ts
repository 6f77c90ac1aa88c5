/**
 * One call for the delivery step and the approval job: resolve the store's connector, then
 * `executeAction`. API: `runStoreAction(ctx, { storeId, actionId }, io?)` → ExecuteResult.
 * A store whose platform cannot be used (app uninstalled, no token) fails the action with
 * code `platform_unavailable` instead of retrying forever.
 */
import type { AppContext } from '../app/context.js';
import { PermanentError } from '../errors.js';
import { findStore } from '../store/stores.js';
import { executeAction, type ExecuteResult } from './action-executor.js';
import { ERROR_TEXTS } from './error-texts.js';
import { getCommerceConnector, type ConnectorIo } from './resolve-connector.js';

export async function runStoreAction(
  ctx: Pick<AppContext, 'db' | 'config' | 'encryptionKey'>,
  ref: { storeId: string; actionId: string },
  io: ConnectorIo = {},
): Promise<ExecuteResult> {
  const store = await findStore(ctx.db, ref.storeId);
  if (!store) throw new PermanentError(`store ${ref.storeId} not found`);
  let connector;
  try {
    connector = await getCommerceConnector(ctx, store, io);
  } catch (err) {
    if (!(err instanceof PermanentError)) throw err;
    const reason = err.message;
    await ctx.db('actions')
      .where({ id: ref.actionId, store_id: ref.storeId })
      .whereIn('status', ['proposed', 'approved'])
      .update({ status: 'failed', error_message: reason, result: JSON.stringify({ ok: false, code: 'platform_unavailable', reason }) });
    return { status: 'failed', actionId: ref.actionId, code: 'platform_unavailable', reason, userMessage: ERROR_TEXTS.action_failed };
  }
  return executeAction({ db: ctx.db, connector, settings: store.settings, now: io.now }, ref);
}
