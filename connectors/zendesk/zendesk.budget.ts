import { intHeader, type ApiBudgetReader } from '../api-budget.js';

/**
 * Zendesk's budget is requests per minute for the account (200–2,500 by plan). Every answer
 * carries `X-Rate-Limit` / `X-Rate-Limit-Remaining`; the Ticketing API adds `ratelimit-limit`,
 * `ratelimit-remaining` and `ratelimit-reset` (seconds until the window resets), preferred when
 * present. developer.zendesk.com/api-reference/introduction/rate-limits
 */
export const zendeskBudget: ApiBudgetReader = (header) => {
  const limit = intHeader(header, 'ratelimit-limit') ?? intHeader(header, 'x-rate-limit');
  const remaining = intHeader(header, 'ratelimit-remaining') ?? intHeader(header, 'x-rate-limit-remaining');
  if (limit === null || remaining === null) return null;
  const reset = intHeader(header, 'ratelimit-reset');
  return { limit, remaining, resetMs: reset === null ? undefined : reset * 1000, refillMsPerCall: 60_000 / Math.max(1, limit) };
};
