/**
 * The GraphQL Admin API transport: `POST {base}/admin/api/{version}/graphql.json` with
 * `X-Shopify-Access-Token`, plain `fetch` (injectable, so nock intercepts it), throttling waited
 * out from the returned cost data, and failures classified for the job runner:
 * - network errors, timeouts, 5xx, throttling that lasts → RetryableError (the job retries);
 * - 401/402/403/404/423 and GraphQL errors other than THROTTLED → PermanentError.
 */
import { PermanentError, RetryableError, RateLimitedError } from '../../src/errors.js';
import { isThrottled, throttleWaitMs, type GraphqlBody } from './shopify.throttle.js';

export type ShopifyClientOptions = {
  /** The shop's myshopify domain, e.g. acme.myshopify.com. */
  shop: string;
  accessToken: string;
  apiVersion: string;
  /** Replaces https://{shop}; may contain `{shop}`. */
  baseUrl?: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Throttled answers waited out inside one call before giving the job back. @defaultValue 3 */
  maxThrottleRetries?: number;
  /** A single throttle wait longer than this is left to the job's retry delay. @defaultValue 20000 */
  maxInCallWaitMs?: number;
  /** @defaultValue 15000 */
  timeoutMs?: number;
};

export type ShopifyGraphqlClient = {
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** The shop this client talks to (for logs and mappers). */
  readonly shop: string;
};

export function adminOrigin(shop: string, baseUrl?: string): string {
  if (!baseUrl) return `https://${shop}`;
  return baseUrl.replace('{shop}', shop).replace(/\/+$/, '');
}

export function createShopifyClient(opts: ShopifyClientOptions): ShopifyGraphqlClient {
  const doFetch: typeof fetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxThrottleRetries = opts.maxThrottleRetries ?? 3;
  const maxInCallWaitMs = opts.maxInCallWaitMs ?? 20_000;
  const url = `${adminOrigin(opts.shop, opts.baseUrl)}/admin/api/${opts.apiVersion}/graphql.json`;

  async function once(query: string, variables: Record<string, unknown> | undefined) {
    let res: Response;
    let text: string;
    try {
      res = await doFetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-shopify-access-token': opts.accessToken,
        },
        body: JSON.stringify({ query, variables: variables ?? {} }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      });
      text = await res.text();
    } catch (err) {
      throw new RetryableError(`Shopify unreachable: ${(err as Error)?.name ?? 'error'}`, undefined, { cause: err });
    }
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: parseBody(text), text };
  }

  return {
    shop: opts.shop,
    async request<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      for (let attempt = 0; ; attempt++) {
        const r = await once(query, variables);
        if (isThrottled(r.status, r.body)) {
          const retryAfterMs = r.retryAfter && /^\d+(\.\d+)?$/.test(r.retryAfter) ? Number(r.retryAfter) * 1000 : undefined;
          const wait = throttleWaitMs(r.body, retryAfterMs);
          if (attempt >= maxThrottleRetries || wait > maxInCallWaitMs) {
            throw new RateLimitedError('Shopify throttled the request', wait);
          }
          await sleep(wait);
          continue;
        }
        if (r.status >= 500 || r.status === 408) {
          throw new RetryableError(`Shopify ${r.status}`, r.retryAfter ? Number(r.retryAfter) * 1000 || undefined : undefined);
        }
        if (r.status >= 400) {
          // 401: token revoked (app uninstalled); 402: shop frozen; 403: missing scope; 404: no such shop.
          throw new PermanentError(`Shopify ${r.status}: ${vendorMessage(r.body, r.text)}`, r.status);
        }
        if (r.body?.errors?.length) {
          throw new PermanentError(`Shopify GraphQL error: ${vendorMessage(r.body, r.text)}`, r.status);
        }
        if (!r.body || r.body.data === undefined || r.body.data === null) {
          throw new RetryableError('Shopify answered without data');
        }
        return r.body.data as T;
      }
    },
  };
}

/** JSON body with `errors` always an array (REST-style answers carry `errors: "text"`). */
function parseBody(text: string): GraphqlBody | undefined {
  let raw: unknown;
  try {
    raw = text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object') return undefined;
  const body = raw as GraphqlBody & { errors?: unknown };
  if (body.errors !== undefined && !Array.isArray(body.errors)) {
    return { ...body, errors: [{ message: typeof body.errors === 'string' ? body.errors : JSON.stringify(body.errors) }] };
  }
  return body as GraphqlBody;
}

function vendorMessage(body: GraphqlBody | undefined, text: string): string {
  const fromErrors = body?.errors?.map((e) => e.message).filter(Boolean).join('; ');
  if (fromErrors) return fromErrors.slice(0, 500);
  return text.slice(0, 200) || 'no message';
}
