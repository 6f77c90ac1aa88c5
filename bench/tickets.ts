/**
 * Bench tickets: customers of the demo store (data/demo, τ-bench retail) asking about their own
 * orders, so the whole pipeline runs (intent, order lookup with the ownership check, policy
 * retrieval, template reply, grounding) and the demo store answers them automatically.
 */
import { readDemoCatalogue } from '../src/commerce/demo-data.js';
import { demoDataDir } from '../src/bootstrap/demo-store.js';
import type { StandinTicket } from './helpdesk-standin.js';

/** Read-only questions (order status, shipping): answered in public with no store action. */
const TEMPLATES = [
  (o: string) => `Hi, where is my order ${o}? I have not received it yet.`,
  (o: string) => `Hello, can you tell me the status of order ${o}? Thanks.`,
  (o: string) => `Has my order ${o} shipped yet? I would like to know when it arrives.`,
  (o: string) => `Could you check on order ${o} for me? I am waiting for it.`,
];

export type BenchOrder = { orderNumber: string; email: string; name: string; customerId: string; state: string };

let cached: BenchOrder[] | null = null;

/** Orders with an owner, in file order (deterministic across runs). */
export function benchOrders(): BenchOrder[] {
  if (cached) return cached;
  const cat = readDemoCatalogue(demoDataDir());
  const byExternal = new Map(cat.customers.map((c, i) => [String(c.external_id), { name: String(c.name), n: i }]));
  cached = cat.orders.flatMap((o) => {
    const c = byExternal.get(String(o.customer_external_id));
    if (!c || !o.email) return [];
    return [{ orderNumber: String(o.order_number), email: String(o.email), name: c.name, customerId: String(380_000_000_000 + c.n), state: String(o.status) }];
  });
  return cached;
}

/**
 * The i-th ticket of a run. Ticket ids start at `base` (numeric, as Zendesk's are); the comment
 * id is derived from the ticket id, so a redelivered webhook carries the same one.
 */
export function benchTicket(i: number, base = 10_000_000): StandinTicket {
  const orders = benchOrders();
  const o = orders[i % orders.length]!;
  return ticketFrom(o, String(base + i), 'Question about my order', TEMPLATES[i % TEMPLATES.length]!(o.orderNumber));
}

function ticketFrom(o: BenchOrder, id: string, subject: string, text: string): StandinTicket {
  return {
    id,
    requesterId: o.customerId,
    requesterEmail: o.email,
    requesterName: o.name,
    subject,
    commentId: `${id}01`,
    text,
    createdAt: new Date().toISOString(),
  };
}

/** Another message from the same customer on the same ticket, written now. */
export function followUp(t: StandinTicket, n: number, text: string): StandinTicket {
  return { ...t, commentId: `${t.id}${String(n + 1).padStart(2, '0')}`, text, createdAt: new Date().toISOString() };
}

/**
 * The i-th cancellation request: the owner of a pending order asks to cancel it (the store may do
 * that automatically), one order per customer so no daily action limit interferes.
 */
export function cancelTicket(i: number, base: number): StandinTicket {
  const pending = pendingOrdersOfDistinctCustomers();
  const o = pending[i % pending.length]!;
  return ticketFrom(o, String(base + i), 'Cancel my order', `Please cancel my order ${o.orderNumber}, I ordered it by mistake.`);
}

let pendingCache: BenchOrder[] | null = null;
function pendingOrdersOfDistinctCustomers(): BenchOrder[] {
  if (pendingCache) return pendingCache;
  const seen = new Set<string>();
  pendingCache = benchOrders().filter((o) => o.state === 'pending' && !seen.has(o.email) && Boolean(seen.add(o.email)));
  return pendingCache;
}

/**
 * The trigger webhook body (the JSON template of docs "Zendesk webhook via trigger"; shape as in
 * test/fixtures/zendesk/webhook-trigger-customer-comment.json).
 */
export function triggerBody(t: StandinTicket): string {
  return JSON.stringify({
    ticket_id: t.id,
    comment_id: t.commentId,
    comment_public: 'true',
    comment_author_id: t.requesterId,
    comment_created_at: t.createdAt,
    latest_comment: t.text,
    requester_id: t.requesterId,
    requester_email: t.requesterEmail,
    requester_name: t.requesterName,
    subject: t.subject,
    current_user_id: t.requesterId,
    updated_at: t.createdAt,
    via: 'Mail',
  });
}
