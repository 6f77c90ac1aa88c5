/**
 * The connector contracts. One folder per vendor implements one of these; nothing outside
 * connectors/ knows a vendor's payloads or URLs.
 */
import type { InboundMessageEvent } from '../src/domain/events.js';
import type { Address, Order } from '../src/domain/order.js';

export type HelpdeskKind = 'zendesk' | 'gorgias' | 'email';

/** A webhook request as received: raw bytes (signatures are over them) and lower-cased headers. */
export type WebhookRequest = {
  rawBody: Buffer;
  headers: Record<string, string>;
  query: Record<string, string>;
  url: string;
  now: Date;
};

export type VerifyFailure = 'missing_signature' | 'bad_signature' | 'stale_timestamp' | 'malformed';
export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure };

/**
 * What a webhook meant: a customer message to process (with a key that is the same for every
 * redelivery of the same message), or something we ignore (agent replies, our own notes…).
 */
export type ParsedWebhook =
  | { kind: 'message'; idempotencyKey: string; event: InboundMessageEvent }
  | { kind: 'ignored'; reason: string };

export type TicketRef = { externalTicketId: string; meta?: Record<string, unknown> };

export type TicketMessage = {
  id: string;
  author: 'customer' | 'agent' | 'bot' | 'system';
  authorId: string | null;
  body: string;
  public: boolean;
  createdAt: string;
};

export type Ticket = {
  id: string;
  /** closed/solved tickets are never answered by the bot. */
  status: 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
  subject: string | null;
  requester: { id: string | null; email: string | null; name: string | null };
  assigneeId: string | null;
  tags: string[];
  /** The channel a public reply must use (Gorgias: email, chat…; Zendesk: handled by the ticket). */
  channel: string | null;
  messages: TicketMessage[];
};

export type ReplyInput = {
  body: string;
  bodyHtml?: string;
  /** draft = internal note / private comment; public = reply to the customer. */
  visibility: 'draft' | 'public';
  /** Written back with the reply so teams can build views (intent:…, bot:drafted…). */
  tags?: string[];
};

export type EscalationInput = {
  assigneeId?: string;
  teamId?: string;
  groupId?: string;
  priority?: 'low' | 'medium' | 'high' | 'urgent';
  tags?: string[];
  /** Private summary note for the human who takes over. */
  note: string;
};

export type WriteOptions = { idempotencyKey: string };

export interface HelpdeskConnector {
  readonly kind: HelpdeskKind;
  /** Pure, synchronous, constant-time. */
  verifyWebhook(req: WebhookRequest): VerifyResult;
  /** Vendor payload → domain event; 'ignored' for what is not a customer message. Throws on malformed input. */
  parseWebhook(body: unknown, req: WebhookRequest): ParsedWebhook;
  getTicket(ref: TicketRef): Promise<Ticket>;
  postReply(ref: TicketRef, reply: ReplyInput, opts: WriteOptions): Promise<{ externalId: string }>;
  escalate(ref: TicketRef, to: EscalationInput, opts: WriteOptions): Promise<void>;
  /**
   * After a crash between "recorded" and "sent", finds whether the write already happened
   * (e.g. a comment carrying the idempotency key), so a retry does not write twice.
   */
  findWrite?(ref: TicketRef, opts: WriteOptions): Promise<{ externalId: string } | null>;
  checkCredentials(): Promise<{ ok: boolean; message: string }>;
}

export type CustomerProfile = {
  externalId: string;
  email: string | null;
  name: string | null;
  totalOrders: number;
  totalSpent: number;
};

export type ActionResult =
  | { ok: true; externalId?: string; detail?: Record<string, unknown> }
  | { ok: false; reason: string };

export interface CommerceConnector {
  readonly kind: 'demo' | 'shopify';
  getOrderByNumber(orderNumber: string): Promise<Order | null>;
  listOrdersByEmail(email: string, limit: number): Promise<Order[]>;
  getCustomerByEmail(email: string): Promise<CustomerProfile | null>;
  cancelOrder(order: Order, input: { reason: string; refund: boolean; restock: boolean }, opts: WriteOptions): Promise<ActionResult>;
  refund(order: Order, input: { amount: number; lineItemIds?: string[]; reason: string }, opts: WriteOptions): Promise<ActionResult>;
  updateShippingAddress(order: Order, address: Address, opts: WriteOptions): Promise<ActionResult>;
  requestReturn(order: Order, input: { lineItemIds: string[]; reason: string }, opts: WriteOptions): Promise<ActionResult>;
}
