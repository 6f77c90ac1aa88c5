import type { AppContext } from '../../src/app/context.js';
import { actionRunner } from '../../src/commerce/action-executor.js';
import { getCommerceConnector } from '../../src/commerce/resolve-connector.js';
import { loadRecordedTurn, type RecordedTurn } from '../../src/conversations/record.js';
import { findThread } from '../../src/conversations/repository.js';
import { runTurn } from '../../src/conversations/turn.js';
import { deliverTurn } from '../../src/delivery/deliver.js';
import { BURST_CHANNELS, burstOf, type Burst } from '../../src/delivery/burst.js';
import { guard } from '../../src/delivery/guard.js';
import { claimNewest, whenSuperseded } from '../../src/delivery/supersede.js';
import type { InboundMessageEvent } from '../../src/domain/events.js';
import { PermanentError, WaitError } from '../../src/errors.js';
import { pipelineFor, type PipelineRuntime } from '../../src/pipeline/factory.js';
import { toStore } from '../../src/store/stores.js';
import { getHelpdeskConnector } from '../../connectors/registry.js';
import type { HelpdeskKind, Ticket } from '../../connectors/types.js';
import type { ConnectorDeps } from '../../connectors/http.js';
import type { CredentialRow } from '../../src/store/credentials.js';
import { prepared } from '../../src/db/prepared.js';

const CONNECTED_CHANNELS = new Set<string>(['zendesk', 'gorgias', 'email']);

/**
 * `inbound.process`: guard → pipeline → deliver for one recorded customer message (DESIGN steps
 * 2–8). Safe to retry at any point: the turn is recorded once, and every write is exactly-once.
 */
export function processInboundHandler(ctx: AppContext, runtime: PipelineRuntime, io: ConnectorDeps = {}) {
  return async ({ storeId, inboundEventId }: { storeId: string; inboundEventId: string }) => {
    const log = ctx.logger.child({ component: 'process-inbound', storeId, inboundEventId });
    const turnKey = `ie-${inboundEventId}`;
    const claimed = await claimEvent(ctx, storeId, inboundEventId, turnKey);
    if ('status' in claimed) return claimed;
    if (!claimed.store) throw new PermanentError('store not found');
    const store = toStore(claimed.store);
    let event = claimed.payload;

    const skip = async (reason: string) => {
      await ctx.db('inbound_events').where({ id: inboundEventId }).update({ status: 'skipped', skip_reason: reason, error: null, processed_at: ctx.db.fn.now() });
      log.info({ reason }, 'skipped');
      return { status: 'skipped', reason };
    };

    const connector = CONNECTED_CHANNELS.has(event.channel)
      ? await getHelpdeskConnector(ctx, store, event.channel as HelpdeskKind, io, claimed.credentials)
      : null;
    if (CONNECTED_CHANNELS.has(event.channel) && !connector) return skip('connector_not_configured');
    const ref = { externalTicketId: event.externalTicketId, meta: event.meta };

    // The guard runs on the first attempt only: a retry after our own reply went out must finish
    // delivering (tags, notes), not mistake that reply for "someone already answered".
    let recorded: RecordedTurn | null = null;
    let thread: Awaited<ReturnType<typeof findThread>> | undefined;
    let burst: Burst | undefined;
    if (claimed.recorded) recorded = await loadRecordedTurn(ctx.db, storeId, turnKey);
    if (!recorded) {
      // The ticket re-read and our own thread state are independent: read them at the same time.
      const [ticket, state] = await Promise.all([
        connector ? connector.getTicket(ref) : Promise.resolve(null),
        findThread(ctx.db, { storeId, channel: event.channel, externalId: event.externalTicketId }),
      ]);
      thread = state;
      if (ticket) event = completeFromTicket(event, ticket);
      const covered = ticket && BURST_CHANNELS.has(event.channel) ? state.coveredMessageIds : undefined;
      if (ticket && covered) {
        burst = burstOf(ticket, event, covered);
        event = { ...event, body: burst.text };
      }
      let g = guard({ store, event, ticket, autoRepliesToday: state.autoRepliesToday, covered });
      if (!g.ok && g.reason === 'superseded' && ticket && covered) {
        const adopted = await supersededOrAdopted(ctx, claimed, { storeId, inboundEventId, event, ticket, covered });
        if (adopted) {
          log.warn({ messageId: adopted.event.externalMessageId }, "the newer message's webhook never came: this turn answers it");
          ({ event, burst } = adopted);
          g = guard({ store, event, ticket, autoRepliesToday: state.autoRepliesToday, covered });
        }
      }
      if (!g.ok) return skip(g.reason);
    }

    const commerce = await getCommerceConnector(ctx, store, io);
    const turn = recorded
      ? { ...recorded, replayed: true }
      : await runTurn(
          ctx.db,
          await pipelineFor(ctx, runtime, store, commerce, { knowledgeVersion: claimed.knowledge_version }),
          {
            store,
            channel: event.channel,
            externalTicketId: event.externalTicketId,
            customerEmail: event.customerEmail,
            customerName: event.customerName,
            subject: event.subject,
            text: event.body,
            externalMessageId: event.externalMessageId,
            covers: burst?.covers,
            receivedAt: event.receivedAt,
            turnKey,
            inboundEventId,
            replyTarget: connector?.kind,
          },
          { notRecorded: true, conversation: thread?.conversation },
        );
    const delivered = await deliverTurn(
      {
        db: ctx.db,
        logger: ctx.logger,
        connector,
        runAction: actionRunner({ db: ctx.db, connector: commerce, settings: store.settings }, storeId),
      },
      {
        storeId,
        settings: store.settings,
        conversationId: turn.conversationId,
        assistantMessageId: turn.assistantMessageId,
        turnKey,
        ticket: connector ? ref : null,
        plan: turn.plan,
        inboundEventId,
        replyWriteId: turn.replyWriteId,
      },
    );
    if (!delivered.eventProcessed) {
      await ctx.db('inbound_events')
        .where({ id: inboundEventId })
        .update({ status: 'processed', conversation_id: turn.conversationId, processed_at: ctx.db.fn.now(), error: null });
    }
    log.info({ outcome: delivered.outcome, intent: turn.intent, conversationId: turn.conversationId }, 'processed');
    return { status: 'processed', outcome: delivered.outcome };
  };
}

type ClaimedEvent = {
  payload: InboundMessageEvent;
  source: string;
  idempotency_key: string;
  event_type: string;
  recorded: boolean;
  store: Record<string, unknown> | null;
  /** The store's credentials row for the event's channel (null: none stored). */
  credentials: CredentialRow | null;
  knowledge_version: number;
};

/**
 * Marks the event as being processed (one more attempt) unless it is finished, and reads what the
 * job needs before it can start: the store, its credentials for the channel, its knowledge version
 * and whether a previous attempt already recorded the turn. One statement instead of six.
 */
async function claimEvent(ctx: AppContext, storeId: string, inboundEventId: string, turnKey: string): Promise<ClaimedEvent | { status: string }> {
  const res = await prepared<ClaimedEvent>(
    ctx.db,
    `update inbound_events set status = 'processing', attempts = attempts + 1, claimed_at = now()
      where id = ? and store_id = ? and status not in ('processed', 'skipped', 'dead')
      returning payload, source, idempotency_key, event_type,
        exists (select 1 from decision_traces t where t.store_id = inbound_events.store_id and t.turn_key = ?) as recorded,
        (select row_to_json(s) from stores s where s.id = inbound_events.store_id) as store,
        (select json_build_object('ciphertext', cc.ciphertext, 'meta', cc.meta) from connector_credentials cc
          where cc.store_id = inbound_events.store_id and cc.kind = inbound_events.payload->>'channel') as credentials,
        coalesce((select kv.version from knowledge_versions kv where kv.store_id = inbound_events.store_id), 0) as knowledge_version`,
    [inboundEventId, storeId, turnKey],
  );
  const row = res.rows[0];
  if (row) return { ...row, knowledge_version: Number(row.knowledge_version) };
  const done = await ctx.db('inbound_events').where({ id: inboundEventId, store_id: storeId }).first('status');
  if (!done) throw new PermanentError('inbound event not found');
  return { status: done.status as string };
}

/**
 * A message a newer one superseded (src/delivery/supersede.ts): null when the newer message's job
 * answers both; throws WaitError while its webhook may still come; when it never came, this turn
 * takes the newer message and answers through it (the event and burst it answers).
 */
async function supersededOrAdopted(
  ctx: AppContext,
  claimed: ClaimedEvent,
  input: { storeId: string; inboundEventId: string; event: InboundMessageEvent; ticket: Ticket; covered: ReadonlySet<string> },
): Promise<{ event: InboundMessageEvent; burst: Burst } | null> {
  const { storeId, inboundEventId, event, ticket } = input;
  const where = { storeId, source: claimed.source, key: claimed.idempotency_key, inboundEventId };
  const next = await whenSuperseded(ctx.db, {
    ...where,
    channel: event.channel,
    ticket,
    externalMessageId: event.externalMessageId,
    nowMs: Date.now(),
    waitMs: ctx.config.NEWER_WEBHOOK_WAIT_S * 1000,
  });
  if (next.kind === 'wait') throw new WaitError(`waiting for the webhook of the customer's newer message ${next.messageId}`, next.delayMs);
  if (next.kind === 'superseded') return null;
  if (!(await claimNewest(ctx.db, { ...where, eventType: claimed.event_type, event: claimed.payload, newest: next.newest }))) return null;
  const adopted = { ...event, externalMessageId: next.newest.id, body: next.newest.body, receivedAt: next.newest.createdAt };
  const burst = burstOf(ticket, adopted, input.covered);
  return { event: { ...adopted, body: burst.text }, burst };
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
