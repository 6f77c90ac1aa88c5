import { describe, expect, it } from 'vitest';
import { isThrottled, throttleWaitMs } from '../../../connectors/shopify/shopify.throttle.js';
import { fixture } from '../../fixtures/shopify/helpers.js';

describe('Shopify cost-based throttling', () => {
  const throttled = fixture('graphql/throttled.json');

  it('recognises THROTTLED with HTTP 200 or 429, and a bare 429', () => {
    expect(isThrottled(200, throttled)).toBe(true);
    expect(isThrottled(429, throttled)).toBe(true);
    expect(isThrottled(429, undefined)).toBe(true);
    expect(isThrottled(200, fixture('graphql/order-paid.json'))).toBe(false);
  });

  it('waits (requested − available) / restoreRate seconds', () => {
    // 452 requested, 252 available, 100 points/s restored → 2 s
    expect(throttleWaitMs(throttled)).toBe(2000);
  });

  it('falls back to Retry-After, then to one second, without cost data', () => {
    expect(throttleWaitMs(undefined, 3000)).toBe(3000);
    expect(throttleWaitMs(undefined)).toBe(1000);
  });

  it('pauses briefly when the bucket already has room', () => {
    const roomy = { extensions: { cost: { requestedQueryCost: 10, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 500, restoreRate: 50 } } } };
    expect(throttleWaitMs(roomy)).toBe(100);
  });
});
