/**
 * Conversations over the REST API (widget and API channels):
 *
 *   POST /api/v1/conversations                 (write) start one; the reply is in the answer
 *   POST /api/v1/conversations/:id/messages    (write) next customer message
 *   GET  /api/v1/conversations                 (read)  filters + keyset pagination
 *   GET  /api/v1/conversations/:id             (read)  messages, decision traces, actions
 *   POST /api/v1/conversations/:id/escalate    (write)
 *   POST /api/v1/conversations/:id/resolve     (write)
 *
 * Every query is scoped to the key's store: another store's conversation is 404.
 */
import { Router } from 'express';
import type { AppContext } from '../app/context.js';
import { conflict, forbidden, notFound } from '../errors.js';
import type { Store } from '../store/stores.js';
import { access, apiKeyOf, idParam, storeOf } from './access.js';
import { getConversationDetail, listConversations } from './conversation-queries.js';
import { escalateConversation, resolveConversation } from './conversation-status.js';
import { runApiTurn } from './conversation-turn.js';
import { withTurnKey } from './idempotency.js';
import {
  createConversationBody,
  escalateBody,
  listConversationsQuery,
  resolveBody,
  sendMessageBody,
} from './schemas/conversations.js';

const API_CHANNELS = new Set(['api', 'widget']);

/** The store must be active and the channel on in its settings (`settings.channels`). */
function assertChannelOpen(store: Store, channel: string): void {
  if (store.status !== 'active') throw forbidden('this store is not active (the app was uninstalled)');
  if ((store.settings.channels as Record<string, boolean>)[channel] === false) {
    throw forbidden(`the ${channel} channel is turned off in this store's settings (settings.channels.${channel})`);
  }
}

export function conversationsRouter(ctx: AppContext): Router {
  const router = Router();
  const { db } = ctx;

  router.post('/conversations', ...access(ctx, 'write'), async (req, res) => {
    const body = createConversationBody.parse(req.body ?? {});
    const store = await storeOf(ctx, req);
    assertChannelOpen(store, body.channel);
    const result = await withTurnKey(ctx, req, 'conversations', (turnKey) =>
      runApiTurn(ctx, {
        store,
        channel: body.channel,
        customerEmail: body.customer_email ?? null,
        customerName: body.customer_name ?? null,
        text: body.initial_message,
        turnKey,
      }),
    );
    // Kept for the next turns of this conversation (greeting by name).
    if (body.customer_name) {
      await db('conversations')
        .where({ store_id: store.id, id: result.conversation_id })
        .update({ metadata: db.raw('metadata || ?::jsonb', [JSON.stringify({ customer_name: body.customer_name })]) });
    }
    res.status(201).json(result);
  });

  router.post('/conversations/:id/messages', ...access(ctx, 'write'), async (req, res) => {
    const id = idParam(req, 'id', 'conversation');
    const body = sendMessageBody.parse(req.body ?? {});
    const store = await storeOf(ctx, req);
    const c = await db('conversations').where({ store_id: store.id, id }).first('id', 'channel', 'status', 'customer_email', 'metadata');
    if (!c) throw notFound('conversation not found');
    if (!API_CHANNELS.has(c.channel)) throw conflict(`this is a ${c.channel} conversation: the customer writes through ${c.channel}, not the API`);
    if (c.status === 'resolved' || c.status === 'closed') throw conflict(`the conversation is ${c.status}; start a new one`);
    assertChannelOpen(store, c.channel);
    const result = await withTurnKey(ctx, req, `conversations/${id}/messages`, (turnKey) =>
      runApiTurn(ctx, {
        store,
        channel: c.channel,
        conversationId: id,
        customerEmail: c.customer_email ?? null,
        customerName: (c.metadata?.customer_name as string | undefined) ?? null,
        text: body.content,
        turnKey,
      }),
    );
    res.status(201).json(result);
  });

  router.get('/conversations', ...access(ctx, 'read'), async (req, res) => {
    const query = listConversationsQuery.parse(req.query);
    res.json(await listConversations(db, apiKeyOf(req).storeId, query));
  });

  router.get('/conversations/:id', ...access(ctx, 'read'), async (req, res) => {
    const detail = await getConversationDetail(db, apiKeyOf(req).storeId, idParam(req, 'id', 'conversation'));
    if (!detail) throw notFound('conversation not found');
    res.json(detail);
  });

  router.post('/conversations/:id/escalate', ...access(ctx, 'write'), async (req, res) => {
    const id = idParam(req, 'id', 'conversation');
    const body = escalateBody.parse(req.body ?? {});
    const key = apiKeyOf(req);
    res.json(await escalateConversation(ctx, { storeId: key.storeId, id, reason: body.reason, apiKeyId: key.id }));
  });

  router.post('/conversations/:id/resolve', ...access(ctx, 'write'), async (req, res) => {
    const id = idParam(req, 'id', 'conversation');
    const body = resolveBody.parse(req.body ?? {});
    res.json(await resolveConversation(ctx, { storeId: apiKeyOf(req).storeId, id, summary: body.resolution_summary, csat: body.csat_score }));
  });

  return router;
}
