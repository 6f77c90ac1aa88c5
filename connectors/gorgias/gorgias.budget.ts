import type { ApiBudgetReader } from '../api-budget.js';

/**
 * Gorgias meters the account with a leaky bucket: 40 calls per 20 s for an API key, 80 for an
 * OAuth app (Enterprise: per 10 s), told on every answer as `X-Gorgias-Account-Api-Call-Limit:
 * used/limit`. A call comes back after 20 s / limit (half that on Enterprise: waiting the longer
 * time only leaves more to others). developers.gorgias.com/reference/limitations
 */
export const gorgiasBudget: ApiBudgetReader = (header) => {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(header('x-gorgias-account-api-call-limit') ?? '');
  if (!m) return null;
  const used = Number(m[1]);
  const limit = Number(m[2]);
  return { limit, remaining: Math.max(0, limit - used), refillMsPerCall: 20_000 / Math.max(1, limit) };
};
