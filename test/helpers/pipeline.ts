import type { AppContext } from '../../src/app/context.js';
import { actionRunner } from '../../src/commerce/action-executor.js';
import { getCommerceConnector } from '../../src/commerce/resolve-connector.js';
import { runTurn, type TurnResult } from '../../src/conversations/turn.js';
import { deliverTurn, type Delivered } from '../../src/delivery/deliver.js';
import { createPipelineRuntime, pipelineFor, type PipelineRuntime } from '../../src/pipeline/factory.js';
import type { Store } from '../../src/store/stores.js';

let counter = 0;

/**
 * One customer message through the real pipeline and delivery, as the API channel does it
 * (no helpdesk: the reply is returned; allowed actions run on the demo store's tables).
 */
export async function sendAsCustomer(
  ctx: Pick<AppContext, 'db' | 'config' | 'logger' | 'encryptionKey'>,
  runtime: PipelineRuntime,
  store: Store,
  input: { text: string; email: string | null; conversationId?: string; channel?: string },
): Promise<{ turn: TurnResult; delivered: Delivered }> {
  const commerce = await getCommerceConnector(ctx, store);
  const graph = await pipelineFor(ctx as AppContext, runtime, store, commerce);
  const turnKey = `test-${process.pid}-${++counter}`;
  const turn = await runTurn(ctx.db, graph, {
    store,
    channel: input.channel ?? 'api',
    externalTicketId: null,
    conversationId: input.conversationId,
    customerEmail: input.email,
    customerName: null,
    text: input.text,
    turnKey,
  });
  const delivered = await deliverTurn(
    {
      db: ctx.db,
      logger: ctx.logger,
      connector: null,
      runAction: actionRunner({ db: ctx.db, connector: commerce, settings: store.settings }, store.id),
    },
    { storeId: store.id, settings: store.settings, conversationId: turn.conversationId, assistantMessageId: turn.assistantMessageId, turnKey, ticket: null, plan: turn.plan },
  );
  return { turn, delivered };
}

export { createPipelineRuntime };
