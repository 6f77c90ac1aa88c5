import type { Order } from '../domain/order.js';
import type { Passage } from '../knowledge/retrieve.js';
import type { UnderstandingEngine } from '../nlu/types.js';
import type { DraftReply, GatheredContext } from './types.js';
import type { ReplyFacts } from './respond/facts.js';
import type { ProductInfo } from './product-facts.js';

/**
 * What the pipeline needs from the outside world, injected so nodes stay pure functions of their
 * input and these clients (tests pass real ones on PGlite; production adds Shopify, OpenAI).
 */
export type OrderFacts = {
  /** null = not found. Throws IntegrationUnavailable when the platform is down and nothing is cached. */
  getOrderByNumber(orderNumber: string): Promise<{ order: Order | null; stale: boolean }>;
  listOrdersByEmail(email: string, limit: number): Promise<Order[]>;
};

export class IntegrationUnavailable extends Error {
  constructor(message = 'the store platform did not answer') {
    super(message);
    this.name = 'IntegrationUnavailable';
  }
}

export type KnowledgeSearch = {
  retrieve(input: { storeId: string; query: string; intent?: string; limit?: number }): Promise<Passage[]>;
};

export type CustomerFacts = {
  /** The requester's profile (null: not a known customer) and the store actions done automatically for them in the last 24 h. */
  profile(email: string): Promise<{ customer: GatheredContext['customer']; actionsToday: number }>;
};

/** Writes the reply text for a plan from the facts; a template renderer or an LLM. */
export type Responder = {
  readonly name: string;
  respond(facts: ReplyFacts): Promise<DraftReply>;
};

/** The store's catalogue, for product questions. */
export type CatalogueFacts = {
  byNames(names: string[]): Promise<ProductInfo[]>;
};

export type PipelineDeps = {
  engine: UnderstandingEngine;
  /** Used when `engine` fails (LLM timeout, 5xx, quota). */
  fallbackEngine?: UnderstandingEngine;
  orders: OrderFacts;
  knowledge: KnowledgeSearch;
  customers: CustomerFacts;
  catalogue?: CatalogueFacts;
  responder: Responder;
  fallbackResponder?: Responder;
  productNames?: string[];
  now?: () => Date;
};
