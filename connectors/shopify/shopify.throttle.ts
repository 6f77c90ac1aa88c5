/**
 * Shopify GraphQL Admin API cost-based rate limiting (leaky bucket per app and store).
 *
 * Every response carries `extensions.cost { requestedQueryCost, actualQueryCost, throttleStatus {
 * maximumAvailable, currentlyAvailable, restoreRate } }`. A throttled request answers
 * `errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }]`, with HTTP 200 or 429
 * (community reports disagree, so both are handled). The wait that makes room for the query is
 * (requestedQueryCost − currentlyAvailable) / restoreRate seconds.
 * Source: shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits (see vendor-apis.md §3).
 */

export type ThrottleStatus = { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
export type QueryCost = {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: ThrottleStatus;
};

export type GraphqlError = { message?: string; extensions?: { code?: string; [k: string]: unknown } };
export type GraphqlBody = { data?: unknown; errors?: GraphqlError[]; extensions?: { cost?: QueryCost } };

/** Wait when the answer gives no cost data (e.g. a bare 429 without Retry-After). */
export const DEFAULT_THROTTLE_WAIT_MS = 1000;

/** True when Shopify refused the query for lack of bucket room (HTTP 200 or 429). */
export function isThrottled(status: number, body: GraphqlBody | undefined): boolean {
  if (body?.errors?.some((e) => e.extensions?.code === 'THROTTLED')) return true;
  return status === 429;
}

/**
 * How long to wait before the same query fits in the bucket again. Uses the cost data when
 * present, then Retry-After, then a default; never negative, rounded up to whole milliseconds.
 */
export function throttleWaitMs(body: GraphqlBody | undefined, retryAfterMs?: number): number {
  const cost = body?.extensions?.cost;
  const status = cost?.throttleStatus;
  if (cost?.requestedQueryCost !== undefined && status && status.restoreRate > 0) {
    const missing = cost.requestedQueryCost - status.currentlyAvailable;
    // Already enough room (another request finished meanwhile): a short pause avoids a hot loop.
    if (missing <= 0) return 100;
    return Math.ceil((missing / status.restoreRate) * 1000);
  }
  if (retryAfterMs !== undefined) return retryAfterMs;
  return DEFAULT_THROTTLE_WAIT_MS;
}

/** The bucket as the last answer reported it, for logs (numbers only, no data). */
export function describeCost(body: GraphqlBody | undefined): Record<string, number> | undefined {
  const cost = body?.extensions?.cost;
  if (!cost?.throttleStatus) return undefined;
  return {
    requested: cost.requestedQueryCost ?? 0,
    available: cost.throttleStatus.currentlyAvailable,
    restoreRate: cost.throttleStatus.restoreRate,
  };
}
