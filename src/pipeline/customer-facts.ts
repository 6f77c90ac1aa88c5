import type { Knex } from 'knex';
import type { CustomerFacts } from './ports.js';

/** Customer profile and today's automatic actions, from our tables (store-scoped). */
export function createCustomerFacts(db: Knex, storeId: string): CustomerFacts {
  return {
    async byEmail(email) {
      const row = await db('customers')
        .where({ store_id: storeId, email: email.toLowerCase() })
        .first('external_id', 'name', 'total_orders', 'total_spent');
      return row
        ? { externalId: row.external_id, name: row.name, totalOrders: Number(row.total_orders), totalSpent: Number(row.total_spent) }
        : null;
    },
    async actionsToday(email) {
      const [row] = await db('actions')
        .where({ store_id: storeId, customer_email: email.toLowerCase(), status: 'completed' })
        .where('completed_at', '>', db.raw("now() - interval '24 hours'"))
        .count({ n: '*' });
      return Number(row?.n ?? 0);
    },
  };
}
