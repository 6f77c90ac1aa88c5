import { describe, expect, it } from 'vitest';
import { RATE_LIMIT_PATIENCE_MS, rateLimitDelay } from '../../../jobs/workers.js';
import { RateLimitedError, RetryableError } from '../../../src/errors.js';

const NOW = Date.parse('2026-11-21T10:00:00Z');
// `waits` rate-limit waits so far: BullMQ counts each as an attempt started but not made.
const job = (waits: number, ageMs = 60_000) => ({ timestamp: NOW - ageMs, attemptsStarted: waits + 1, attemptsMade: 0 });

describe('rateLimitDelay', () => {
  it("waits the vendor's Retry-After, spread by up to a quarter so held jobs do not return at once", () => {
    const delays = Array.from({ length: 200 }, () => rateLimitDelay(new RateLimitedError('429', 40_000), job(3), NOW)!);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(40_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(50_000);
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(2_000);
  });

  it('doubles from a second up to a minute when the vendor gave no Retry-After', () => {
    const base = (waits: number) => rateLimitDelay(new RateLimitedError('429'), job(waits), NOW)!;
    expect(base(0)).toBeGreaterThanOrEqual(1000);
    expect(base(0)).toBeLessThan(1250 + 1);
    expect(base(3)).toBeGreaterThanOrEqual(8000);
    expect(base(3)).toBeLessThanOrEqual(10_000);
    expect(base(12)).toBeGreaterThanOrEqual(60_000);
    expect(base(12)).toBeLessThanOrEqual(75_000);
  });

  it('leaves other errors, and jobs that have waited a day, to the normal retries', () => {
    expect(rateLimitDelay(new RetryableError('Zendesk 503', 1000), job(0), NOW)).toBeNull();
    expect(rateLimitDelay(new RateLimitedError('429', 1000), job(0, RATE_LIMIT_PATIENCE_MS + 1), NOW)).toBeNull();
    expect(rateLimitDelay(new RateLimitedError('429', 1000), job(0, RATE_LIMIT_PATIENCE_MS - 1000), NOW)).not.toBeNull();
  });
});
