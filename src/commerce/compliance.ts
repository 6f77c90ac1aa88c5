/**
 * Privacy requests (Shopify's mandatory compliance webhooks, usable for any platform):
 * - `exportCustomerData`: everything we store about a customer (customer rows, orders,
 *   conversations with their messages, actions) saved in `data_exports` for the merchant.
 * - `redactCustomer`: deletes that customer's rows from customers, orders, conversations
 *   (cascading messages, actions, decision traces), actions, external writes of those actions,
 *   inbound events that mention them, earlier exports and learned FAQ candidates quoting them.
 * - `redactShop`: deletes the store row (every store-owned table cascades) and its sessions.
 * A customer is matched by email (lower-case), platform id (gid or numeric) or phone.
 */
import type { Knex } from 'knex';

export type PrivacyCustomer = { id?: string | number | null; email?: string | null; phone?: string | null };

type Match = { email: string | null; ids: string[]; phone: string | null };

function matchOf(c: PrivacyCustomer): Match {
  const raw = c.id === null || c.id === undefined ? null : String(c.id);
  const ids = raw ? [...new Set([raw, raw.startsWith('gid://') ? raw : `gid://shopify/Customer/${raw}`])] : [];
  return { email: c.email?.trim().toLowerCase() || null, ids, phone: c.phone?.trim() || null };
}

const orderGids = (ids: (string | number)[] = []) =>
  ids.flatMap((id) => (String(id).startsWith('gid://') ? [String(id)] : [String(id), `gid://shopify/Order/${id}`]));

async function customerIds(db: Knex, storeId: string, m: Match): Promise<string[]> {
  if (!m.email && !m.ids.length && !m.phone) return [];
  const rows = await db('customers')
    .where({ store_id: storeId })
    .andWhere((q) => {
      if (m.email) q.orWhere({ email: m.email });
      if (m.ids.length) q.orWhereIn('external_id', m.ids);
      if (m.phone) q.orWhere({ phone: m.phone });
    })
    .select('id');
  return rows.map((r) => String(r.id));
}

function ordersQuery(db: Knex, storeId: string, m: Match, custIds: string[], extra: string[]) {
  return db('orders')
    .where({ store_id: storeId })
    .andWhere((q) => {
      q.whereRaw('false');
      if (m.email) q.orWhere({ email: m.email });
      if (m.ids.length) q.orWhereIn('customer_external_id', m.ids);
      if (custIds.length) q.orWhereIn('customer_id', custIds);
      if (extra.length) q.orWhereIn('external_id', extra);
    });
}

function conversationsQuery(db: Knex, storeId: string, m: Match, custIds: string[]) {
  return db('conversations')
    .where({ store_id: storeId })
    .andWhere((q) => {
      q.whereRaw('false');
      if (m.email) q.orWhere({ customer_email: m.email });
      if (custIds.length) q.orWhereIn('customer_id', custIds);
    });
}

export async function exportCustomerData(
  db: Knex,
  storeId: string,
  input: { requestId: string; customer: PrivacyCustomer; ordersRequested?: (string | number)[]; source?: string },
): Promise<{ exportId: string; counts: Record<string, number> }> {
  const m = matchOf(input.customer);
  const custIds = await customerIds(db, storeId, m);
  const customers = custIds.length ? await db('customers').whereIn('id', custIds) : [];
  const orders = await ordersQuery(db, storeId, m, custIds, orderGids(input.ordersRequested)).select('*');
  const conversations = await conversationsQuery(db, storeId, m, custIds).select('*');
  const convIds = conversations.map((c) => c.id);
  const messages = convIds.length ? await db('messages').whereIn('conversation_id', convIds).orderBy('created_at') : [];
  const actions = await db('actions')
    .where({ store_id: storeId })
    .andWhere((q) => {
      q.whereRaw('false');
      if (m.email) q.orWhere({ customer_email: m.email });
      if (convIds.length) q.orWhereIn('conversation_id', convIds);
    });
  const data = {
    requestId: input.requestId,
    generatedAt: new Date().toISOString(),
    customer: { email: m.email, ids: m.ids, phone: m.phone },
    customers,
    orders,
    conversations: conversations.map((c) => ({ ...c, messages: messages.filter((msg) => msg.conversation_id === c.id) })),
    actions,
  };
  const source = input.source ?? 'shopify';
  const inserted = await db('data_exports')
    .insert({ store_id: storeId, source, request_id: input.requestId, customer_email: m.email, customer_external_id: m.ids[0] ?? null, data: JSON.stringify(data) })
    .onConflict(['store_id', 'source', 'request_id'])
    .merge({ data: JSON.stringify(data), created_at: db.fn.now() })
    .returning('id');
  const counts = { customers: customers.length, orders: orders.length, conversations: conversations.length, messages: messages.length, actions: actions.length };
  return { exportId: String((inserted[0] as { id: string }).id), counts };
}

/**
 * @param keepInboundEventId the redaction request's own event: kept (scrubbed by the caller) so
 *   the delivery stays deduplicated and audited.
 */
export async function redactCustomer(
  db: Knex,
  storeId: string,
  input: { customer: PrivacyCustomer; ordersToRedact?: (string | number)[]; keepInboundEventId?: string },
): Promise<Record<string, number>> {
  const m = matchOf(input.customer);
  return db.transaction(async (trx) => {
    const custIds = await customerIds(trx, storeId, m);
    const convIds = (await conversationsQuery(trx, storeId, m, custIds).select('id')).map((r) => String(r.id));
    const actionFilter = (q: Knex.QueryBuilder) =>
      q.where({ store_id: storeId }).andWhere((w) => {
        w.whereRaw('false');
        if (m.email) w.orWhere({ customer_email: m.email });
        if (convIds.length) w.orWhereIn('conversation_id', convIds);
      });
    const actionKeys = (await actionFilter(trx('actions')).select('idempotency_key')).map((r: { idempotency_key: string }) => String(r.idempotency_key));
    const counts: Record<string, number> = {};
    counts.external_writes = actionKeys.length
      ? await trx('external_writes').where({ store_id: storeId }).whereIn('idempotency_key', actionKeys).delete()
      : 0;
    counts.actions = await actionFilter(trx('actions')).delete();
    const mentions = [m.email, ...m.ids].filter((x): x is string => Boolean(x));
    counts.inbound_events = await trx('inbound_events')
      .where({ store_id: storeId })
      .andWhere((q) => {
        q.whereRaw('false');
        if (convIds.length) q.orWhereIn('conversation_id', convIds);
        for (const s of mentions) q.orWhereRaw('position(? in lower(payload::text)) > 0', [s.toLowerCase()]);
      })
      .modify((q) => {
        if (input.keepInboundEventId) q.whereNot({ id: input.keepInboundEventId });
      })
      .delete();
    counts.conversations = convIds.length ? await trx('conversations').whereIn('id', convIds).delete() : 0;
    counts.orders = await ordersQuery(trx, storeId, m, custIds, orderGids(input.ordersToRedact)).delete();
    counts.customers = custIds.length ? await trx('customers').whereIn('id', custIds).delete() : 0;
    counts.data_exports = m.email || m.ids.length
      ? await trx('data_exports')
          .where({ store_id: storeId })
          .andWhere((q) => {
            if (m.email) q.orWhere({ customer_email: m.email });
            if (m.ids.length) q.orWhereIn('customer_external_id', m.ids);
          })
          .delete()
      : 0;
    // Learned FAQ candidates are drafted from agent replies and could quote the customer.
    counts.policy_documents = m.email
      ? await trx('policy_documents').where({ store_id: storeId, source: 'learned' }).whereRaw('position(? in lower(content)) > 0', [m.email]).delete()
      : 0;
    return counts;
  });
}

export async function redactShop(db: Knex, shop: string, storeId: string | null): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('shopify_sessions').where({ shop: shop.toLowerCase() }).delete();
    if (storeId) await trx('stores').where({ id: storeId }).delete();
  });
}
