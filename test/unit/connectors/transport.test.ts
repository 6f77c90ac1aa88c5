/** The node:http transport against a real loopback server (no nock): what the vendor client relies on. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../connectors/http.js';
import { RetryableError } from '../../../src/errors.js';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/hang') return; // never answers
      if (req.url === '/limited') {
        res.writeHead(429, { 'Retry-After': '30', 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ error: 'slow down' }));
      }
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ method: req.method, auth: req.headers.authorization, body: body ? JSON.parse(body) : null, text: 'café' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('node:http transport', () => {
  it('sends JSON with auth and reads UTF-8 JSON back', async () => {
    const c = createHttpClient({ vendor: 'Vendor', baseUrl: base, headers: { authorization: 'Bearer t' } });
    for (let i = 0; i < 5; i++) {
      const out = await c.request<Record<string, unknown>>({ method: 'PUT', path: '/x', body: { n: i, note: 'ünïcode' } });
      expect(out).toEqual({ method: 'PUT', auth: 'Bearer t', body: { n: i, note: 'ünïcode' }, text: 'café' });
    }
  });

  it('gives up on a server that never answers after the time limit, as a retryable timeout', async () => {
    const c = createHttpClient({ vendor: 'Vendor', baseUrl: base, headers: {}, timeoutMs: 150, retry: { maxRetries: 0 } });
    const started = Date.now();
    const err = await c.request({ method: 'GET', path: '/hang' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as Error).message).toBe('Vendor: no answer within 150 ms');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reads the status and Retry-After of a refusal', async () => {
    const c = createHttpClient({ vendor: 'Vendor', baseUrl: base, headers: {}, retry: { maxRetries: 0 } });
    const err = await c.request({ method: 'GET', path: '/limited' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as RetryableError).retryAfterMs).toBe(30_000);
    expect((err as Error).message).toContain('Vendor 429: slow down');
  });

  it('reports a refused connection as a retryable network error', async () => {
    const c = createHttpClient({ vendor: 'Vendor', baseUrl: 'http://127.0.0.1:1', headers: {}, retry: { maxRetries: 0 } });
    const err = await c.request({ method: 'GET', path: '/' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as Error).message).toMatch(/^Vendor: network error/);
  });
});
