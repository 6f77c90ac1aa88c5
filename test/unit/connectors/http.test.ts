/** connectors/http.ts edge cases the contract suite does not reach; injected fetch, no network. */
import { describe, expect, it } from 'vitest';
import { VendorCooldowns } from '../../../connectors/cooldowns.js';
import { createHttpClient, parseRetryAfter, type ConnectorDeps } from '../../../connectors/http.js';
import { PermanentError, RateLimitedError, RetryableError } from '../../../src/errors.js';
import { processMetrics } from '../../../src/metrics/process-metrics.js';

const NOW = new Date('2026-11-21T10:00:00Z');

function client(fetchImpl: typeof fetch, extra: ConnectorDeps = {}) {
  const waits: number[] = [];
  const http = createHttpClient({
    vendor: 'Acme',
    baseUrl: 'http://vendor.test/prefix/',
    headers: { authorization: 'Bearer t' },
    fetch: fetchImpl,
    now: () => NOW,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...extra,
  });
  return { http, waits };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as RetryableError);

describe('createHttpClient', () => {
  it('reads Retry-After given as an HTTP date', async () => {
    const retryAfter = { 'Retry-After': 'Sat, 21 Nov 2026 10:01:30 GMT' };
    const { http } = client(async () => json(429, { error: 'slow down' }, retryAfter));
    const err = await failure(http.request({ method: 'GET', path: '/x' }));
    expect(err).toBeInstanceOf(RetryableError);
    expect(err?.retryAfterMs).toBe(90_000);
  });

  it('turns a timeout into RetryableError after its quick retries', async () => {
    let calls = 0;
    const hang: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => {
        calls++;
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const { http, waits } = client(hang, { timeoutMs: 20 });
    const err = await failure(http.request({ method: 'GET', path: '/slow' }));
    expect(err).toBeInstanceOf(RetryableError);
    expect(err?.message).toMatch(/no answer within 20 ms/);
    expect(calls).toBe(3);
    expect(waits.every((w) => w <= 1000)).toBe(true);
  });

  it('sends a non-idempotent write once when the network fails', async () => {
    let calls = 0;
    const { http } = client(async () => {
      calls++;
      throw new TypeError('fetch failed');
    });
    const err = await failure(http.request({ method: 'POST', path: '/messages', body: { a: 1 } }));
    expect(err).toBeInstanceOf(RetryableError);
    expect(calls).toBe(1);
  });

  it('keeps the base URL path prefix, sends JSON and auth, and reads the answer', async () => {
    let seen: { url: string; init?: RequestInit } | undefined;
    const { http } = client(async (url, init) => {
      seen = { url: String(url), init };
      return json(200, { ok: 1 });
    });
    const out = await http.request({
      method: 'PUT',
      path: '/api/t/1.json',
      query: { include: 'users', skip: undefined },
      body: { b: 2 },
    });
    expect(out).toEqual({ ok: 1 });
    expect(seen?.url).toBe('http://vendor.test/prefix/api/t/1.json?include=users');
    expect(seen?.init?.body).toBe('{"b":2}');
    expect((seen?.init?.headers as Record<string, string>).authorization).toBe('Bearer t');
  });

  it('records the vendor message of a 4xx, field details included', async () => {
    const { http } = client(async () =>
      json(422, {
        error: 'RecordInvalid',
        description: 'Record validation errors',
        details: { status: [{ description: 'Status: closed prevents ticket update' }] },
      }),
    );
    const err = await failure(http.request({ method: 'PUT', path: '/t' }));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err?.message).toBe(
      'Acme 422: RecordInvalid: Record validation errors (status: Status: closed prevents ticket update)',
    );
  });
});

describe('rate-limit holds shared by the connectors of one process', () => {
  // Two jobs' clients for the same Zendesk account, one for another account, on a clock the test moves.
  const setup = () => {
    let clock = NOW.getTime();
    const cooldowns = new VendorCooldowns();
    const sent: string[] = [];
    const waits: number[] = [];
    let limited = true;
    const make = (baseUrl: string) =>
      createHttpClient({
        vendor: 'Zendesk',
        baseUrl,
        headers: {},
        cooldowns,
        now: () => new Date(clock),
        sleep: async (ms) => {
          waits.push(ms);
          clock += ms;
        },
        fetch: async (url) => {
          sent.push(String(url));
          return limited ? json(429, { error: 'TooManyRequests' }, { 'Retry-After': '30' }) : json(200, { ok: true });
        },
      });
    return {
      first: make('https://acme.zendesk.com'),
      second: make('https://acme.zendesk.com/'),
      other: make('https://other.zendesk.com'),
      sent,
      waits,
      advance: (ms: number) => (clock += ms),
      lift: () => (limited = false),
    };
  };

  it("holds the account's other calls back after a 429 instead of sending them", async () => {
    const t = setup();
    const refusedBefore = (await processMetrics().vendorLimits.get()).values.find((v) => v.labels.vendor === 'Zendesk' && v.labels.kind === 'refused')?.value ?? 0;
    const first = await failure(t.first.request({ method: 'GET', path: '/api/v2/tickets/1.json' }));
    expect(first).toBeInstanceOf(RateLimitedError);
    const refused = (await processMetrics().vendorLimits.get()).values.find((v) => v.labels.vendor === 'Zendesk' && v.labels.kind === 'refused')?.value;
    expect(refused).toBe(refusedBefore + 1);
    t.lift();
    t.advance(10_000);
    const second = await failure(t.second.request({ method: 'GET', path: '/api/v2/tickets/2.json' }));
    expect(second).toBeInstanceOf(RateLimitedError);
    expect(second?.retryAfterMs).toBe(20_000); // what is left of the vendor's 30 s
    expect(second?.message).toMatch(/over its rate limit/);
    // Another account has a budget of its own.
    await expect(t.other.request({ method: 'GET', path: '/api/v2/tickets/3.json' })).resolves.toEqual({ ok: true });
    expect(t.sent).toEqual(['https://acme.zendesk.com/api/v2/tickets/1.json', 'https://other.zendesk.com/api/v2/tickets/3.json']);
  });

  it('waits out the end of a hold inside the call, then sends', async () => {
    const t = setup();
    await failure(t.first.request({ method: 'GET', path: '/a' }));
    t.lift();
    t.advance(29_000);
    await expect(t.second.request({ method: 'GET', path: '/b' })).resolves.toEqual({ ok: true });
    expect(t.waits).toEqual([1000]);
    expect(t.sent).toHaveLength(2);
  });

  it('counts the limits met for the operator: 429s refused, and holds at the budget reserve', async () => {
    const count = async (kind: string) =>
      (await processMetrics().vendorLimits.get()).values.find((v) => v.labels.vendor === 'Metered' && v.labels.kind === kind)?.value ?? 0;
    const metered = createHttpClient({
      vendor: 'Metered',
      baseUrl: 'http://metered.test',
      headers: {},
      now: () => NOW,
      sleep: async () => {},
      apiReserve: 0.2,
      budget: (header) => ({ limit: 10, remaining: Number(header('x-left')), resetMs: 5000, refillMsPerCall: 6000 }),
      fetch: async () => json(200, { ok: 1 }, { 'x-left': '2' }),
    });
    await metered.request({ method: 'GET', path: '/a' }); // 2 of 10 left: the reserve
    expect(await count('reserve')).toBe(1);
    expect(await count('refused')).toBe(0);
    expect(await failure(metered.request({ method: 'GET', path: '/b' }))).toBeInstanceOf(RateLimitedError); // held 5 s, not sent
    expect(await count('refused')).toBe(0);
  });

  it("holds other calls at most a minute, while the refused call's job waits all of a long Retry-After", async () => {
    const cooldowns = new VendorCooldowns();
    const { http } = client(async () => json(429, { error: 'per-ticket update limit' }, { 'Retry-After': '600' }), { cooldowns });
    const err = await failure(http.request({ method: 'PUT', path: '/tickets/1.json' }));
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err?.retryAfterMs).toBe(600_000);
    expect(cooldowns.remainingMs('http://vendor.test/prefix', NOW.getTime())).toBe(60_000);
  });

  it('holds the account for a second after a 429 without Retry-After', async () => {
    const cooldowns = new VendorCooldowns();
    let calls = 0;
    const { http } = client(async () => (++calls === 1 ? json(429, { error: 'slow down' }) : json(200, { ok: 1 })), { cooldowns });
    expect(await failure(http.request({ method: 'GET', path: '/x' }))).toBeInstanceOf(RateLimitedError);
    expect(cooldowns.remainingMs('http://vendor.test/prefix', NOW.getTime())).toBe(1000);
  });
});

describe('VendorCooldowns', () => {
  it('after a hold lets one call ask first; the others wait for its answer', async () => {
    const c = new VendorCooldowns();
    expect(c.turn('acme')).toEqual({ go: true });
    c.hold('acme', 1000);
    c.hold('acme', 500); // an earlier end does not shorten the hold
    expect(c.remainingMs('acme', 200)).toBe(800);
    const first = c.turn('acme');
    const second = c.turn('acme');
    expect('probe' in first).toBe(true);
    expect('wait' in second).toBe(true);
    let released = false;
    void (second as { wait: Promise<void> }).wait.then(() => (released = true));
    await Promise.resolve();
    expect(released).toBe(false);
    // The first call's answer was another 429: the waiter is released, and the next call asks first.
    (first as { probe: () => void }).probe();
    await Promise.resolve();
    expect(released).toBe(true);
    expect('probe' in c.turn('acme')).toBe(true);
    // An answer while the hold still runs (a call sent before it) does not lift it; one after does.
    c.clear('acme', 900);
    expect(c.remainingMs('acme', 900)).toBe(100);
    c.clear('acme', 1000);
    expect(c.turn('acme')).toEqual({ go: true });
    expect(c.remainingMs('acme', 200)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['2', 2000],
    ['0', 0],
    ['Sat, 21 Nov 2026 09:59:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
  ])('%s → %s ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});
