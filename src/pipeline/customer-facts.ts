import type { Knex } from 'knex';
import type { CustomerFacts } from './ports.js';
import { prepared } from '../db/prepared.js';

type CustomerRow = { external_id: string; name: string | null; total_orders: number; total_spent: number };

/**
 * Customer profile and today's automatic actions, from our tables (store-scoped), in one query.
 * Nothing is kept once it answered (counts must stay current).
 */
export function createCustomerFacts(db: Knex, storeId: string): CustomerFacts {
  return {
    async profile(email) {
      const e = email.toLowerCase();
      const r = await prepared<{ customer: CustomerRow | null; actions_today: number }>(
        db,
        `select (select row_to_json(c) from (select external_id, name, total_orders, total_spent from customers
                  where store_id = ? and email = ? limit 1) c) as customer,
                (select count(*) from actions where store_id = ? and customer_email = ? and status = 'completed'
                  and completed_at > now() - interval '24 hours')::int as actions_today`,
        [storeId, e, storeId, e],
      );
      const c = r.rows[0]?.customer ?? null;
      return {
        customer: c ? { externalId: c.external_id, name: c.name, totalOrders: Number(c.total_orders), totalSpent: Number(c.total_spent) } : null,
        actionsToday: Number(r.rows[0]?.actions_today ?? 0),
      };
    },
  };
}
