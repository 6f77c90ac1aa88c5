/**
 * A helpdesk account's API budget is shared: the support team's own apps, integrations and
 * agents' sidebars spend it too, and a bot that spends it to the last call breaks them (and then
 * meets 429s itself). Vendors say on every answer how much is left, so the bot stops short: when
 * what remains falls to the reserve, the account is held (connectors/cooldowns.ts) until enough
 * has come back, and the bot's tickets wait their turn (without spending retries).
 */
export type ApiBudget = {
  remaining: number;
  limit: number;
  /** When the whole budget comes back (a fixed window, e.g. Zendesk's ratelimit-reset). */
  resetMs?: number;
  /** How long one call takes to come back (a leaky bucket or a window of unknown phase). */
  refillMsPerCall: number;
};

/** Reads the budget from an answer's headers; null when the answer carries none. */
export type ApiBudgetReader = (header: (name: string) => string | null) => ApiBudget | null;

/**
 * How long to hold the account so that `reserve` (a fraction of the limit) stays for others:
 * 0 while more than that remains; else until the window resets, or until the shortfall has
 * trickled back.
 */
export function reserveHoldMs(budget: ApiBudget, reserve: number): number {
  if (reserve <= 0 || budget.limit <= 0) return 0;
  const keep = Math.ceil(budget.limit * reserve);
  if (budget.remaining > keep) return 0;
  if (budget.resetMs !== undefined) return budget.resetMs;
  return Math.round((keep - budget.remaining + 1) * budget.refillMsPerCall);
}

/** A header holding a whole number, or null. */
export function intHeader(header: (name: string) => string | null, name: string): number | null {
  const v = header(name)?.trim();
  return v && /^\d+$/.test(v) ? Number(v) : null;
}
