import type { AppContext } from '../../src/app/context.js';
import { executeAction } from '../../src/commerce/action-executor.js';
import { getCommerceConnector } from '../../src/commerce/resolve-connector.js';
import { loadRecordedTurn } from '../../src/conversations/record.js';
import { runTurn } from '../../src/conversations/turn.js';
import { deliverTurn } from '../../src/delivery/deliver.js';
import { guard } from '../../src/delivery/guard.js';
import type { InboundMessageEvent } from '../../src/domain/events.js';
import { PermanentError } from '../../src/errors.js';
import { pipelineFor, type PipelineRuntime } from '../../src/pipeline/factory.js';
import { findStore } from '../../src/store/stores.js';
import { getHelpdeskConnector } from '../../connectors/registry.js';
import type { HelpdeskKind, Ticket } from '../../connectors/types.js';
import type { ConnectorDeps } from '../../connectors/http.js';

const CONNECTED_CHANNELS = new Set<string>(['zendesk', 'gorgias', 'email']);

/**
 * `inbound.process`: guard → pipeline → deliver for one recorded customer message (DESIGN steps
 * 2–8). Safe to retry at any point: the turn is recorded once, and every write is exactly-once.
 */
export function processInboundHandler(ctx: AppContext, runtime: PipelineRuntime, io: ConnectorDeps = {}) {
  return async ({ storeId, inboundEventId }: { storeId: string; inboundEventId: string }) => {
    const log = ctx.logger.child({ component: 'process-inbound', storeId, inboundEventId });
    const row = await ctx.db('inbound_events').where({ id: inboundEventId, store_id: storeId }).first();
    if (!row) throw new PermanentError('inbound event not found');
    if (['processed', 'skipped', 'dead'].includes(row.status)) return { status: row.status };
    const store = await findStore(ctx.db, storeId);
    if (!store) throw new PermanentError('store not found');
    let event = row.payload as InboundMessageEvent;
    const turnKey = `ie-${inboundEventId}`;
    await ctx.db('inbound_events').where({ id: inboundEventId }).update({ status: 'processing', attempts: ctx.db.raw('attempts + 1') });

    const skip = async (reason: string) => {
      await ctx.db('inbound_events').where({ id: inboundEventId }).update({ status: 'skipped', skip_reason: reason, processed_at: ctx.db.fn.now() });
      log.info({ reason }, 'skipped');
      return { status: 'skipped', reason };
    };

    const connector = CONNECTED_CHANNELS.has(event.channel)
      ? await getHelpdeskConnector(ctx, store, event.channel as HelpdeskKind, io)
      : null;
    if (CONNECTED_CHANNELS.has(event.channel) && !connector) return skip('connector_not_configured');
    const ref = { externalTicketId: event.externalTicketId, meta: event.meta };

    // The guard runs on the first attempt only: a retry after our own reply went out must finish
    // delivering (tags, notes), not mistake that reply for "someone already answered".
    const recorded = await loadRecordedTurn(ctx.db, storeId, turnKey);
    if (!recorded) {
      const ticket = connector ? await connector.getTicket(ref) : null;
      if (ticket) event = completeFromTicket(event, ticket);
      const g = guard({ store, event, ticket, autoRepliesToday: await autoRepliesToday(ctx, storeId, event) });
      if (!g.ok) return skip(g.reason);
    }

    const commerce = await getCommerceConnector(ctx, store, io);
    const graph = await pipelineFor(ctx, runtime, store, commerce);
    const turn = await runTurn(ctx.db, graph, {
      store,
      channel: event.channel,
      externalTicketId: event.externalTicketId,
      customerEmail: event.customerEmail,
      customerName: event.customerName,
      subject: event.subject,
      text: event.body,
      externalMessageId: event.externalMessageId,
      turnKey,
      inboundEventId,
    });
    const delivered = await deliverTurn(
      {
        db: ctx.db,
        logger: ctx.logger,
        connector,
        runAction: async (actionId) => {
          const r = await executeAction({ db: ctx.db, connector: commerce, settings: store.settings }, { storeId, actionId });
          return r.status === 'completed' ? { ok: true } : { ok: false, reason: r.reason };
        },
      },
      {
        storeId,
        settings: store.settings,
        conversationId: turn.conversationId,
        assistantMessageId: turn.assistantMessageId,
        turnKey,
        ticket: connector ? ref : null,
        plan: turn.plan,
      },
    );
    await ctx.db('inbound_events')
      .where({ id: inboundEventId })
      .update({ status: 'processed', conversation_id: turn.conversationId, processed_at: ctx.db.fn.now(), error: null });
    log.info({ outcome: delivered.outcome, intent: turn.intent, conversationId: turn.conversationId }, 'processed');
    return { status: 'processed', outcome: delivered.outcome };
  };
}

/** Automatic public replies in this thread over the last 24 h (per-thread cap). */
async function autoRepliesToday(ctx: AppContext, storeId: string, event: InboundMessageEvent): Promise<number> {
  const [row] = await ctx.db('messages as m')
    .join('conversations as c', 'c.id', 'm.conversation_id')
    .where({ 'c.store_id': storeId, 'c.channel': event.channel, 'c.external_id': event.externalTicketId })
    .where({ 'm.role': 'assistant', 'm.delivery': 'public', 'm.status': 'sent' })
    .where('m.created_at', '>', ctx.db.raw("now() - interval '24 hours'"))
    .count({ n: '*' });
  return Number(row?.n ?? 0);
}

/**
 * Some deliveries carry only ids (Zendesk event webhooks, trigger bodies without the comment):
 * the text and the requester come from the ticket we re-read anyway.
 */
function completeFromTicket(event: InboundMessageEvent, ticket: Ticket): InboundMessageEvent {
  const message = ticket.messages.find((m) => m.id === event.externalMessageId) ?? [...ticket.messages].reverse().find((m) => m.author === 'customer');
  return {
    ...event,
    body: event.body.trim() ? event.body : (message?.body ?? ''),
    customerEmail: event.customerEmail ?? ticket.requester.email,
    customerName: event.customerName ?? ticket.requester.name,
    subject: event.subject ?? ticket.subject,
  };
}
