/**
 * The one HTTP client vendor connectors use: JSON in/out, a timeout per request, an injectable
 * `fetch`, and vendor statuses classified into RetryableError (429, 408, 5xx, timeouts, network)
 * or PermanentError (other 4xx, carrying the vendor's own message).
 *
 * Retries happen at two levels. Inside one call: up to `maxRetries` quick retries (≤ 1 s apart)
 * for 5xx/timeouts of idempotent requests, and a 429 whose Retry-After is short is waited out.
 * Everything else surfaces as RetryableError(retryAfterMs) and the BullMQ job retries with
 * backoff (jobs/workers.ts honours retryAfterMs); a 429 surfaces as RateLimitedError, which the
 * job waits out without spending a retry, and holds the account's other calls back meanwhile.
 */
import { PermanentError, RateLimitedError, RetryableError } from '../src/errors.js';
import { processMetrics } from '../src/metrics/process-metrics.js';
import { reserveHoldMs, type ApiBudgetReader } from './api-budget.js';
import { VendorCooldowns } from './cooldowns.js';
import { fetchTransport, nodeTransport } from './transport.js';

/** I/O seams every connector takes, so tests run on a fixed clock without real waits. */
export type ConnectorDeps = {
  /** Replaces the built-in node:http transport (tests that fail a call on purpose, proxies). */
  fetch?: typeof fetch;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Per-request timeout. @defaultValue 10000 */
  timeoutMs?: number;
  /** Rate-limit holds shared by the process's connectors (per vendor account). @defaultValue this client's own */
  cooldowns?: VendorCooldowns;
  /**
   * Share of the account's API budget left to agents and other apps (HELPDESK_API_RESERVE_PERCENT
   * / 100): below it the account is held until the budget refills. @defaultValue 0
   */
  apiReserve?: number;
};

export type RetryPolicy = {
  /** Quick retries inside one call. @defaultValue 2 */
  maxRetries: number;
  /** Wait before quick retry n: min(baseDelayMs × 2^(n-1), 1000). @defaultValue 250 */
  baseDelayMs: number;
  /**
   * A 429/503 whose Retry-After is at most this long is waited out in the call.
   * @defaultValue 2000
   */
  maxInCallRetryAfterMs: number;
};

export type HttpClientOptions = ConnectorDeps & {
  /** Vendor name for error messages ("Zendesk 404: …"). */
  vendor: string;
  /** Origin plus optional path prefix (proxies); request paths are appended as is. */
  baseUrl: string;
  /** Sent with every request (auth). */
  headers: Record<string, string>;
  retry?: Partial<RetryPolicy>;
  /** Reads the account's remaining API budget from the vendor's answer headers. */
  budget?: ApiBudgetReader;
};

export type HttpRequest = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /**
   * Safe to send twice. Writes that are not (a new comment/message) are never retried inside the
   * call after an ambiguous failure (5xx, timeout): the vendor may have applied them, so the job
   * retry asks `findWrite` first. A 429 is always safe (the vendor refused the request).
   * @defaultValue true for GET, false otherwise
   */
  idempotent?: boolean;
};

export type HttpClient = { request<T = unknown>(req: HttpRequest): Promise<T> };

type Failure = {
  retryable: true;
  kind: 'rate_limited' | 'server' | 'timeout' | 'network';
  message: string;
  retryAfterMs?: number;
};

const DEFAULT_POLICY: RetryPolicy = {
  maxRetries: 2,
  baseDelayMs: 250,
  maxInCallRetryAfterMs: 2000,
};
const MAX_QUICK_WAIT_MS = 1000;
/** How long a 429 without Retry-After holds the account back (Zendesk sometimes omits it). */
const HOLD_WITHOUT_RETRY_AFTER_MS = 1000;
/**
 * The longest the account's other calls are held. Account-wide windows are at most a minute
 * (Zendesk counts per minute, Gorgias per 20 s); a longer Retry-After is more likely a limit on
 * one resource (Zendesk also limits updates per ticket), which must not stop every other ticket
 * for longer. The refused call's own job still waits all of it.
 */
const MAX_ACCOUNT_HOLD_MS = 60_000;

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const policy = { ...DEFAULT_POLICY, ...opts.retry };
  const send = opts.fetch ? fetchTransport(opts.fetch) : nodeTransport;
  const now = opts.now ?? (() => new Date());
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const base = opts.baseUrl.replace(/\/+$/, '');
  // The base URL names the vendor account (subdomain), and rate limits are per account.
  const cooldowns = opts.cooldowns ?? new VendorCooldowns();
  const holdAccount = (ms: number) => cooldowns.hold(base, now().getTime() + Math.min(ms, MAX_ACCOUNT_HOLD_MS));

  async function once(req: HttpRequest): Promise<{ ok: true; data: unknown } | Failure> {
    const url = buildUrl(base, req.path, req.query);
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    let res: Awaited<ReturnType<typeof send>>;
    try {
      res = await send(url, { method: req.method, headers, body: req.body === undefined ? undefined : JSON.stringify(req.body), timeoutMs });
    } catch (err) {
      const name = (err as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        const message = `${opts.vendor}: no answer within ${timeoutMs} ms`;
        return { retryable: true, kind: 'timeout', message };
      }
      const message = `${opts.vendor}: network error (${(err as Error)?.message ?? 'unknown'})`;
      return { retryable: true, kind: 'network', message };
    }
    const budget = opts.budget?.(res.header);
    const reserveHold = budget ? reserveHoldMs(budget, opts.apiReserve ?? 0) : 0;
    if (reserveHold > 0) {
      holdAccount(reserveHold);
      processMetrics().vendorLimits.inc({ vendor: opts.vendor, kind: 'reserve' });
    }
    const { text } = res;
    const data = parseBody(text, res.header('content-type'));
    if (res.status >= 200 && res.status < 300) return { ok: true, data };
    const message = `${opts.vendor} ${res.status}: ${vendorErrorMessage(data, text)}`;
    const retryAfterMs = parseRetryAfter(res.header('retry-after'), now());
    if (res.status === 429) {
      processMetrics().vendorLimits.inc({ vendor: opts.vendor, kind: 'refused' });
      return { retryable: true, kind: 'rate_limited', message, retryAfterMs };
    }
    if (res.status === 408 || res.status >= 500) {
      return { retryable: true, kind: 'server', message, retryAfterMs };
    }
    throw new PermanentError(message, res.status);
  }

  /**
   * The account answered 429 to some call a moment ago: a short hold is waited out here, a long
   * one is left to the job (which waits without spending a retry) instead of asking again; after
   * the hold one call asks first. Returns the `done` of that first call, if this is it.
   */
  async function waitForTurn(): Promise<(() => void) | null> {
    for (let round = 0; ; round++) {
      const held = cooldowns.remainingMs(base, now().getTime());
      if (held > policy.maxInCallRetryAfterMs) {
        throw new RateLimitedError(`${opts.vendor}: over its rate limit, calls wait ${Math.ceil(held / 1000)} s`, held);
      }
      if (held > 0) await sleep(held);
      const turn = cooldowns.turn(base);
      if ('go' in turn) return null;
      if ('probe' in turn) return turn.probe;
      // Bounded: a clock that does not move (tests) must not keep a call waiting for ever.
      if (round >= 3) return null;
      await turn.wait;
    }
  }

  return {
    async request<T>(req: HttpRequest): Promise<T> {
      const idempotent = req.idempotent ?? req.method === 'GET';
      const probed = await waitForTurn();
      try {
        for (let attempt = 0; ; attempt++) {
          const outcome = await once(req);
          if ('ok' in outcome) {
            cooldowns.clear(base, now().getTime());
            return outcome.data as T;
          }
          if (outcome.kind === 'rate_limited') {
            holdAccount(outcome.retryAfterMs ?? HOLD_WITHOUT_RETRY_AFTER_MS);
          }
          const wait = inCallWait(outcome, attempt, idempotent, policy);
          if (wait === null) {
            if (outcome.kind === 'rate_limited') throw new RateLimitedError(outcome.message, outcome.retryAfterMs);
            throw new RetryableError(outcome.message, outcome.retryAfterMs);
          }
          await sleep(wait);
        }
      } finally {
        probed?.();
      }
    },
  };
}

/** How long to wait before retrying inside the call, or null to surface the error to the job. */
function inCallWait(
  f: Failure,
  attempt: number,
  idempotent: boolean,
  policy: RetryPolicy,
): number | null {
  if (attempt >= policy.maxRetries) return null;
  if (f.retryAfterMs !== undefined && f.retryAfterMs > policy.maxInCallRetryAfterMs) return null;
  if (f.kind === 'rate_limited') {
    // Without Retry-After a quick retry would hit the same limit: let the job back off.
    return f.retryAfterMs ?? null;
  }
  if (!idempotent) return null;
  const backoff = Math.min(policy.baseDelayMs * 2 ** attempt, MAX_QUICK_WAIT_MS);
  return Math.max(backoff, f.retryAfterMs ?? 0);
}

function buildUrl(base: string, path: string, query?: HttpRequest['query']): string {
  const url = `${base}${path.startsWith('/') ? path : `/${path}`}`;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${url}${url.includes('?') ? '&' : '?'}${qs}` : url;
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === '') return undefined;
  if ((contentType ?? '').includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `now`. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/**
 * The vendor's own explanation, from the error shapes they use: Zendesk
 * `{error, description, details:{field:[{description}]}}`, Gorgias `{error:{msg}}` or
 * `{message}`, or the raw text. Cut short: it is recorded with the failed job.
 */
export function vendorErrorMessage(data: unknown, text: string): string {
  const parts: string[] = [];
  if (data && typeof data === 'object') {
    const o = data as Record<string, unknown>;
    const err = o.error;
    if (typeof err === 'string') parts.push(err);
    else if (err && typeof err === 'object') {
      const e = err as Record<string, unknown>;
      const msg = e.msg ?? e.message ?? e.title;
      if (typeof msg === 'string') parts.push(msg);
      const data = flattenDetails(e.data);
      if (data) parts.push(`(${data})`);
    }
    for (const key of ['description', 'message', 'msg']) {
      const v = o[key];
      if (typeof v === 'string' && !parts.includes(v)) parts.push(v);
    }
    const details = flattenDetails(o.details ?? o.errors);
    if (details) parts.push(`(${details})`);
  }
  const message =
    parts.length > 0 ? parts.join(': ').replace(/: \(/, ' (') : text.trim() || 'no details';
  return message.slice(0, 500);
}

function flattenDetails(details: unknown): string {
  if (!details || typeof details !== 'object') return typeof details === 'string' ? details : '';
  const out: string[] = [];
  for (const [field, value] of Object.entries(details as Record<string, unknown>)) {
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      const o = item && typeof item === 'object' ? (item as Record<string, unknown>) : undefined;
      const d = o ? (o.description ?? o.message) : item;
      if (typeof d === 'string') out.push(/^\d+$/.test(field) ? d : `${field}: ${d}`);
    }
  }
  return out.join('; ');
}

/** `Authorization: Basic base64(user:secret)`. */
export function basicAuth(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`, 'utf8').toString('base64')}`;
}
