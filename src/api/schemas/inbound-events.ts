import { z } from 'zod';
import { isoDateTime, uuid } from './common.js';

/** Statuses of a recorded delivery (webhook, email, Shopify) on its way through the worker. */
export const inboundStatusSchema = z.enum(['received', 'queued', 'processing', 'processed', 'skipped', 'failed', 'dead']);

export const inboundEventsQuery = z.object({
  /** Default: the deliveries that need a person, dead ones (out of retries or refused by the vendor). */
  status: inboundStatusSchema.default('dead'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const inboundEventParams = z.object({ storeId: z.string(), eventId: uuid });

const inboundEventSchema = z
  .object({
    id: uuid,
    source: z.string(),
    event_type: z.string(),
    /** The helpdesk's ticket (Zendesk/Gorgias ticket id, email thread), to find it there; null for store events. */
    ticket_id: z.string().nullable(),
    status: inboundStatusSchema,
    attempts: z.number().int(),
    /** The last error (a vendor's answer, a refused action); never message content. */
    error: z.string().nullable(),
    /**
     * Why the bot left a `skipped` event alone: human_replied, assigned_to_human, ticket_closed,
     * bot_already_replied, superseded (a newer message from the customer was answered with it),
     * answered_with_earlier (its webhook never came; an earlier message's turn answered it),
     * reply_cap_reached, channel_disabled, store_inactive, empty_message, connector_not_configured…
     */
    skip_reason: z.string().nullable(),
    /** False for a delivery that could not be read at all: it is kept for inspection only. */
    retryable: z.boolean(),
    conversation_id: uuid.nullable(),
    received_at: isoDateTime,
    processed_at: isoDateTime.nullable(),
  })
  .meta({ id: 'InboundEvent' });

export const inboundEventListSchema = z.object({ data: z.array(inboundEventSchema) }).meta({ id: 'InboundEventList' });
export const retriedSchema = z.object({ id: uuid, status: z.literal('queued') });
export const retriedAllSchema = z.object({ queued: z.number().int() });

/** The store's deliveries not finished yet: what waits on the bot, and what waits on a person. */
export const inboundSummarySchema = z
  .object({
    /** Received and not answered yet (queued, running, or retrying after an error). */
    pending: z.number().int(),
    /** Seconds since the oldest pending delivery arrived; null when none is pending. */
    oldest_pending_s: z.number().nullable(),
    /** Out of retries or refused by the vendor: listed by `?status=dead`, replayed by retry. */
    dead: z.number().int(),
    /** Of the pending ones, those the helpdesk's API rate limit refused last: they wait their turn. */
    rate_limited: z.number().int(),
  })
  .meta({ id: 'InboundSummary' });
