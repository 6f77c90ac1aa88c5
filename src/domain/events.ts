/**
 * What arrived from a channel, in domain terms. Connectors map vendor payloads to this;
 * the worker never sees a vendor payload.
 */
export type InboundChannel = 'zendesk' | 'gorgias' | 'email' | 'widget' | 'api' | 'shopify';

export type InboundMessageEvent = {
  kind: 'customer_message';
  channel: InboundChannel;
  /** The helpdesk ticket id, or the email thread's root Message-ID. */
  externalTicketId: string;
  /** The vendor's id for this message (comment id, message id, Message-ID). */
  externalMessageId: string | null;
  customerEmail: string | null;
  customerName: string | null;
  subject: string | null;
  body: string;
  receivedAt: string;
  /** Vendor-specific, non-secret details the connector needs back later (e.g. Gorgias channel). */
  meta?: Record<string, unknown>;
};

export type InboundEvent = InboundMessageEvent;
