import { ORDER_INTENTS } from '../../domain/intents.js';
import type { Order } from '../../domain/order.js';
import { IntegrationUnavailable, type PipelineDeps } from '../ports.js';
import type { State, StateUpdate } from '../state.js';
import { traced } from '../trace.js';
import type { GatheredContext, OrderContext } from '../types.js';

// Complaints too: a high-value complaint escalates, and the note shows the order either way.
const LOOKS_UP_ORDERS = new Set([...ORDER_INTENTS, 'complaint']);
const NO_PROFILE = { customer: null, actionsToday: 0 };

/** Gather context in parallel: the order, the requester's orders, the customer, policy passages. */
export function gatherContextNode(deps: Pick<PipelineDeps, 'orders' | 'knowledge' | 'customers' | 'catalogue'>) {
  return async (state: State): Promise<StateUpdate> => {
    const { input } = state;
    const u = state.understanding!;
    const notes: string[] = [];
    const { result, entry } = await traced(
      'gatherContext',
      async (): Promise<GatheredContext> => {
        const orderNumber = u.entities.orderNumbers[0] ?? input.carriedOrderNumber;
        const email = input.requesterEmail;
        const [orders, passages, { customer, actionsToday }, products] = await Promise.all([
          lookupOrders(deps, orderNumber, email, LOOKS_UP_ORDERS.has(u.intent), notes),
          deps.knowledge
            .retrieve({ storeId: input.storeId, query: u.cleanedText || input.text, intent: u.intent, limit: 3 })
            .catch((err: Error) => {
              notes.push(`knowledge retrieval failed: ${err.message}`);
              return [];
            }),
          email ? deps.customers.profile(email).catch(() => NO_PROFILE) : Promise.resolve(NO_PROFILE),
          deps.catalogue && u.entities.products.length ? deps.catalogue.byNames(u.entities.products).catch(() => []) : Promise.resolve([]),
        ]);
        return { orders, passages, customer, history: input.history, actionsToday, products };
      },
      (c) => ({
        order: c.orders.order ? summarizeOrder(c.orders.order) : null,
        candidates: c.orders.candidates.map((o) => o.orderNumber),
        stale: c.orders.stale,
        lookupError: c.orders.lookupError,
        passages: c.passages.map((p) => ({ chunkId: p.chunkId, title: p.documentTitle, heading: p.heading, score: p.score })),
        customer: c.customer ? { externalId: c.customer.externalId, totalOrders: c.customer.totalOrders } : null,
        historyMessages: c.history.length,
        actionsToday: c.actionsToday,
        products: c.products.map((p) => p.name),
      }),
    );
    if (notes.length) entry.note = notes.join('; ');
    return { context: result, trace: [entry] };
  };
}

async function lookupOrders(
  deps: Pick<PipelineDeps, 'orders'>,
  orderNumber: string | null,
  email: string | null,
  aboutAnOrder: boolean,
  notes: string[],
): Promise<OrderContext> {
  const empty: OrderContext = { order: null, candidates: [], stale: false, lookupError: null };
  try {
    if (orderNumber) {
      const { order, stale } = await deps.orders.getOrderByNumber(orderNumber);
      if (stale) notes.push('order served from cache: the store platform did not answer');
      return { ...empty, order, stale, lookupError: order ? null : 'order_not_found' };
    }
    if (email && aboutAnOrder) {
      const candidates = await deps.orders.listOrdersByEmail(email, 5);
      // One order on file: that is the order the customer means.
      return { ...empty, order: candidates.length === 1 ? candidates[0]! : null, candidates };
    }
    return empty;
  } catch (err) {
    if (err instanceof IntegrationUnavailable) return { ...empty, lookupError: 'integration_error' };
    throw err;
  }
}

/** What the trace keeps of an order: facts an agent needs, not the whole record. */
export function summarizeOrder(o: Order) {
  return {
    orderNumber: o.orderNumber,
    state: o.state,
    total: o.totalPrice,
    currency: o.currency,
    trackingNumbers: o.trackingNumbers,
    items: o.lineItems.map((li) => li.name),
  };
}
