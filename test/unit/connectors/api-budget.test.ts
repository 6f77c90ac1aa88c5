import { describe, expect, it } from 'vitest';
import { reserveHoldMs } from '../../../connectors/api-budget.js';
import { gorgiasBudget } from '../../../connectors/gorgias/gorgias.budget.js';
import { zendeskBudget } from '../../../connectors/zendesk/zendesk.budget.js';

const headers = (h: Record<string, string>) => (name: string) => h[name.toLowerCase()] ?? null;

describe('helpdesk API budget', () => {
  it("reads Zendesk's Ticketing API headers, reset included, before the account-wide ones", () => {
    const b = zendeskBudget(headers({ 'x-rate-limit': '700', 'x-rate-limit-remaining': '650', 'ratelimit-limit': '200', 'ratelimit-remaining': '38', 'ratelimit-reset': '41' }));
    expect(b).toEqual({ limit: 200, remaining: 38, resetMs: 41_000, refillMsPerCall: 300 });
    expect(zendeskBudget(headers({ 'x-rate-limit': '400', 'x-rate-limit-remaining': '399' }))).toEqual({ limit: 400, remaining: 399, resetMs: undefined, refillMsPerCall: 150 });
    expect(zendeskBudget(headers({ 'content-type': 'application/json' }))).toBeNull();
  });

  it("reads Gorgias's used/limit bucket", () => {
    expect(gorgiasBudget(headers({ 'x-gorgias-account-api-call-limit': '36/40' }))).toEqual({ limit: 40, remaining: 4, refillMsPerCall: 500 });
    expect(gorgiasBudget(headers({ 'x-gorgias-account-api-call-limit': 'soon' }))).toBeNull();
    expect(gorgiasBudget(headers({}))).toBeNull();
  });

  it('holds the account only once what remains falls to the reserve', () => {
    const zendesk = { limit: 200, resetMs: 41_000, refillMsPerCall: 300 };
    expect(reserveHoldMs({ ...zendesk, remaining: 41 }, 0.2)).toBe(0); // 40 kept for others
    expect(reserveHoldMs({ ...zendesk, remaining: 40 }, 0.2)).toBe(41_000); // until the window resets
    // A leaky bucket: until the shortfall (8 kept, 4 left: 5 calls) has trickled back.
    expect(reserveHoldMs({ limit: 40, remaining: 4, refillMsPerCall: 500 }, 0.2)).toBe(2500);
    // HELPDESK_API_RESERVE_PERCENT=0: the bot may spend it all (the vendor's 429 still holds it).
    expect(reserveHoldMs({ limit: 40, remaining: 0, refillMsPerCall: 500 }, 0)).toBe(0);
  });
});
