import { z } from 'zod';
import { gorgiasConfigSchema } from '../../connectors/gorgias/gorgias.config.js';
import { zendeskConfigSchema } from '../../connectors/zendesk/zendesk.config.js';
import {
  approveBodySchema,
  importBodySchema,
  learnBodySchema,
  listQuerySchema,
  macroSyncBodySchema,
  searchQuerySchema,
} from '../knowledge/api-schemas.js';
import type { Permission } from '../security/api-keys.js';
import {
  approvalsQuery,
  approvalsSchema,
  approveActionBody,
  approveMessageBody,
  queuedSchema,
  rejectBody,
  rejectedSchema,
} from './schemas/approvals.js';
import { idParams, storeParams } from './schemas/common.js';
import { inboundEventListSchema, inboundEventParams, inboundEventsQuery, inboundSummarySchema, retriedAllSchema, retriedSchema } from './schemas/inbound-events.js';
import {
  conversationDetailSchema,
  conversationListSchema,
  createConversationBody,
  escalateBody,
  escalatedSchema,
  listConversationsQuery,
  resolveBody,
  resolvedSchema,
  sendMessageBody,
  turnResponseSchema,
} from './schemas/conversations.js';
import {
  analyticsQuery,
  analyticsSchema,
  apiKeyListSchema,
  apiKeyParams,
  createApiKeyBody,
  createdApiKeySchema,
  patchStoreBodyDoc,
  storeSchema,
} from './schemas/stores.js';

/** One documented operation: the same zod schemas the routes validate with. */
export type Operation = {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path (`/api/v1/conversations/:id`). */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** null: no API key (public or signed by the vendor). */
  permission: Permission | null;
  /** Per-key rate limit (429 + Retry-After) applies. */
  rateLimited?: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Accepts an Idempotency-Key header. */
  idempotent?: boolean;
  ok: { status: number; description: string; schema?: z.ZodType };
  /** Statuses beyond the ones implied by auth, validation and path ids. */
  errors?: number[];
};

const v1 = '/api/v1';
const storeKnowledge = `${v1}/stores/:storeId/knowledge`;
const docParams = z.object({ storeId: z.string(), documentId: z.string() });
const kindParams = z.object({ storeId: z.string(), kind: z.enum(['zendesk', 'gorgias']) });
const loose = z.record(z.string(), z.unknown());

const mine = (ops: Operation[]): Operation[] => ops.map((o) => ({ rateLimited: true, ...o }));

/** This module's routes (src/api/*.ts). */
const apiOperations: Operation[] = mine([
  { method: 'post', path: `${v1}/conversations`, tag: 'Conversations', summary: 'Start a conversation; the pipeline runs and the reply is in the answer', permission: 'write', body: createConversationBody, idempotent: true, ok: { status: 201, description: 'the turn', schema: turnResponseSchema }, errors: [409] },
  { method: 'get', path: `${v1}/conversations`, tag: 'Conversations', summary: 'List conversations (newest first, keyset pagination)', permission: 'read', query: listConversationsQuery, ok: { status: 200, description: 'a page', schema: conversationListSchema } },
  { method: 'get', path: `${v1}/conversations/:id`, tag: 'Conversations', summary: 'A conversation with its messages, decision traces and actions', permission: 'read', params: idParams, ok: { status: 200, description: 'the conversation', schema: conversationDetailSchema } },
  { method: 'post', path: `${v1}/conversations/:id/messages`, tag: 'Conversations', summary: 'Send the next customer message (api/widget conversations)', permission: 'write', params: idParams, body: sendMessageBody, idempotent: true, ok: { status: 201, description: 'the turn', schema: turnResponseSchema }, errors: [409] },
  { method: 'post', path: `${v1}/conversations/:id/escalate`, tag: 'Conversations', summary: 'Hand the conversation to a person', permission: 'write', params: idParams, body: escalateBody, ok: { status: 200, description: 'escalated', schema: escalatedSchema }, errors: [409] },
  { method: 'post', path: `${v1}/conversations/:id/resolve`, tag: 'Conversations', summary: 'Resolve with a summary and optional CSAT (1–5)', permission: 'write', params: idParams, body: resolveBody, ok: { status: 200, description: 'resolved', schema: resolvedSchema }, errors: [409] },
  { method: 'get', path: `${v1}/approvals`, tag: 'Approvals', summary: 'Drafts and actions waiting for a person', permission: 'read', query: approvalsQuery, ok: { status: 200, description: 'the queue', schema: approvalsSchema } },
  { method: 'post', path: `${v1}/messages/:id/approve`, tag: 'Approvals', summary: 'Approve (optionally edit) a drafted reply; it is sent by a job', permission: 'write', params: idParams, body: approveMessageBody, ok: { status: 202, description: 'queued', schema: queuedSchema }, errors: [409, 503] },
  { method: 'post', path: `${v1}/messages/:id/reject`, tag: 'Approvals', summary: 'Reject a drafted reply', permission: 'write', params: idParams, body: rejectBody, ok: { status: 200, description: 'rejected', schema: rejectedSchema }, errors: [409] },
  { method: 'post', path: `${v1}/actions/:id/approve`, tag: 'Approvals', summary: 'Approve a store action; it runs and the customer is told, by a job', permission: 'write', params: idParams, body: approveActionBody, ok: { status: 202, description: 'queued', schema: queuedSchema }, errors: [409, 503] },
  { method: 'post', path: `${v1}/actions/:id/reject`, tag: 'Approvals', summary: 'Reject a store action', permission: 'write', params: idParams, body: rejectBody, ok: { status: 200, description: 'rejected', schema: rejectedSchema }, errors: [409] },
  { method: 'get', path: `${v1}/stores/:storeId`, tag: 'Stores', summary: 'The store, its settings and connected platforms (never secrets)', permission: 'read', params: storeParams, ok: { status: 200, description: 'the store', schema: storeSchema } },
  { method: 'patch', path: `${v1}/stores/:storeId`, tag: 'Stores', summary: 'Change settings: deep-merged onto the current ones, then validated; null resets a field', permission: 'admin', params: storeParams, body: patchStoreBodyDoc, ok: { status: 200, description: 'the store', schema: storeSchema } },
  { method: 'get', path: `${v1}/stores/:storeId/analytics`, tag: 'Stores', summary: 'Analytics for a period (UTC days, end inclusive); definitions in docs/analytics.md', permission: 'read', params: storeParams, query: analyticsQuery, ok: { status: 200, description: 'analytics', schema: analyticsSchema } },
  { method: 'post', path: `${v1}/stores/:storeId/api-keys`, tag: 'API keys', summary: 'Create an API key (the key is shown once)', permission: 'admin', params: storeParams, body: createApiKeyBody, ok: { status: 201, description: 'the new key', schema: createdApiKeySchema } },
  { method: 'get', path: `${v1}/stores/:storeId/api-keys`, tag: 'API keys', summary: 'List API keys (never the keys)', permission: 'admin', params: storeParams, ok: { status: 200, description: 'keys', schema: apiKeyListSchema } },
  { method: 'get', path: `${v1}/stores/:storeId/inbound-events`, tag: 'Deliveries', summary: 'Recorded deliveries by status; by default the dead ones (out of retries or refused by the vendor)', permission: 'read', params: storeParams, query: inboundEventsQuery, ok: { status: 200, description: 'events (newest first)', schema: inboundEventListSchema } },
  { method: 'get', path: `${v1}/stores/:storeId/inbound-events/summary`, tag: 'Deliveries', summary: 'How many deliveries wait on the bot (and since when) and how many are dead', permission: 'read', params: storeParams, ok: { status: 200, description: 'counts', schema: inboundSummarySchema } },
  { method: 'post', path: `${v1}/stores/:storeId/inbound-events/:eventId/retry`, tag: 'Deliveries', summary: 'Send a dead delivery through the pipeline again (nothing already sent is sent twice)', permission: 'write', params: inboundEventParams, ok: { status: 202, description: 'queued', schema: retriedSchema }, errors: [409, 503] },
  { method: 'post', path: `${v1}/stores/:storeId/inbound-events/retry-dead`, tag: 'Deliveries', summary: 'Send every dead, readable delivery through the pipeline again (up to 1,000 per call)', permission: 'write', params: storeParams, ok: { status: 202, description: 'how many were queued', schema: retriedAllSchema }, errors: [503] },
  { method: 'delete', path: `${v1}/stores/:storeId/api-keys/:keyId`, tag: 'API keys', summary: 'Revoke an API key (not the calling key itself)', permission: 'admin', params: apiKeyParams, ok: { status: 204, description: 'revoked' }, errors: [409] },
]);

/** Routes of other modules, documented from their own schemas where they export them. */
const otherOperations: Operation[] = [
  { method: 'get', path: `${v1}/me`, tag: 'Stores', summary: "The calling key's store and permissions", permission: 'read', ok: { status: 200, description: 'store and key' } },
  { method: 'get', path: `${v1}/stores/:storeId/connectors`, tag: 'Connectors', summary: 'Connected helpdesks (meta only) and their webhook URLs', permission: 'read', params: storeParams, ok: { status: 200, description: 'connectors' } },
  { method: 'put', path: `${v1}/stores/:storeId/connectors/:kind`, tag: 'Connectors', summary: "Save a helpdesk's credentials (stored encrypted, never shown again)", permission: 'admin', params: kindParams, body: z.union([zendeskConfigSchema, gorgiasConfigSchema]), ok: { status: 200, description: 'saved (meta only)' } },
  { method: 'delete', path: `${v1}/stores/:storeId/connectors/:kind`, tag: 'Connectors', summary: "Delete a helpdesk's credentials", permission: 'admin', params: kindParams, ok: { status: 204, description: 'deleted' } },
  { method: 'post', path: `${v1}/stores/:storeId/connectors/:kind/test`, tag: 'Connectors', summary: 'Check the credentials against the helpdesk', permission: 'admin', params: kindParams, ok: { status: 200, description: '{kind, ok, message}' } },
  { method: 'post', path: storeKnowledge, tag: 'Knowledge', summary: 'Import a document (Markdown, text, HTML)', permission: 'write', params: storeParams, body: importBodySchema, ok: { status: 201, description: 'imported (200 when unchanged)' } },
  { method: 'get', path: storeKnowledge, tag: 'Knowledge', summary: 'List documents', permission: 'read', params: storeParams, query: listQuerySchema, ok: { status: 200, description: 'documents' } },
  { method: 'get', path: `${storeKnowledge}/search`, tag: 'Knowledge', summary: 'Search preview (what the pipeline would retrieve)', permission: 'read', params: storeParams, query: searchQuerySchema, ok: { status: 200, description: 'passages' } },
  { method: 'get', path: `${storeKnowledge}/candidates`, tag: 'Knowledge', summary: 'Learned FAQ candidates', permission: 'read', params: storeParams, ok: { status: 200, description: 'candidates' } },
  { method: 'post', path: `${storeKnowledge}/candidates/:documentId/approve`, tag: 'Knowledge', summary: 'Approve a candidate (optionally edited)', permission: 'write', params: docParams, body: approveBodySchema, ok: { status: 200, description: 'approved' } },
  { method: 'post', path: `${storeKnowledge}/candidates/:documentId/reject`, tag: 'Knowledge', summary: 'Reject a candidate', permission: 'write', params: docParams, ok: { status: 200, description: 'rejected' } },
  { method: 'post', path: `${storeKnowledge}/learn`, tag: 'Knowledge', summary: 'Learn FAQ candidates from a resolved conversation', permission: 'write', params: storeParams, body: learnBodySchema, ok: { status: 202, description: 'queued' } },
  { method: 'post', path: `${storeKnowledge}/macros/sync`, tag: 'Knowledge', summary: "Import the helpdesk's macros", permission: 'admin', params: storeParams, body: macroSyncBodySchema, ok: { status: 200, description: 'synced' } },
  { method: 'get', path: `${storeKnowledge}/:documentId`, tag: 'Knowledge', summary: 'A document with its chunks', permission: 'read', params: docParams, ok: { status: 200, description: 'the document' } },
  { method: 'delete', path: `${storeKnowledge}/:documentId`, tag: 'Knowledge', summary: 'Delete a document', permission: 'write', params: docParams, ok: { status: 204, description: 'deleted' } },
  { method: 'post', path: '/webhooks/zendesk', tag: 'Webhooks', summary: 'Zendesk webhook (X-Zendesk-Webhook-Signature over timestamp + raw body)', permission: null, query: z.object({ store: z.string() }), body: loose, ok: { status: 202, description: 'accepted (200 for a duplicate)' }, errors: [400, 401] },
  { method: 'post', path: '/webhooks/gorgias', tag: 'Webhooks', summary: 'Gorgias webhook (signed)', permission: null, query: z.object({ store: z.string() }), body: loose, ok: { status: 202, description: 'accepted (200 for a duplicate)' }, errors: [400, 401] },
  { method: 'post', path: '/webhooks/shopify', tag: 'Webhooks', summary: 'Shopify webhooks (X-Shopify-Hmac-SHA256)', permission: null, body: loose, ok: { status: 200, description: 'accepted' }, errors: [401] },
  { method: 'get', path: '/health', tag: 'Health', summary: 'Database and Redis answer', permission: null, ok: { status: 200, description: '{"status":"ok"}', schema: z.object({ status: z.literal('ok') }) }, errors: [503] },
];

export const operations: Operation[] = [...apiOperations, ...otherOperations];
