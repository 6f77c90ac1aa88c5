/** connectors/http.ts edge cases the contract suite does not reach; injected fetch, no network. */
import { describe, expect, it } from 'vitest';
import { createHttpClient, parseRetryAfter, type ConnectorDeps } from '../../../connectors/http.js';
import { PermanentError, RetryableError } from '../../../src/errors.js';

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
