/**
 * The wire under the vendor HTTP client: node:http(s) with keep-alive agents, or an injected
 * `fetch` (tests, proxies). node:http costs a fraction of the CPU of the global fetch per request
 * (no WHATWG streams, Response objects or per-request abort signals), and a ticket makes several
 * vendor calls.
 */
import http from 'node:http';
import https from 'node:https';

export type TransportRequest = { method: string; headers: Record<string, string>; body?: string; timeoutMs: number };
export type TransportResponse = { status: number; header(name: string): string | null; text: string };
export type Transport = (url: string, req: TransportRequest) => Promise<TransportResponse>;

/** Thrown when no complete answer arrived within the request's time limit. */
export class TransportTimeoutError extends Error {
  override name = 'TimeoutError';
}

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64 }),
};

export const nodeTransport: Transport = (url, req) =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const lib = target.protocol === 'https:' ? https : http;
    const agent = target.protocol === 'https:' ? agents['https:'] : agents['http:'];
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    const r = lib.request(target, { method: req.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          header: (name) => {
            const v = res.headers[name.toLowerCase()];
            return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
          },
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    // One deadline for the whole exchange (connect, send, wait, read), like AbortSignal.timeout.
    const timer = setTimeout(() => r.destroy(new TransportTimeoutError(`no answer within ${req.timeoutMs} ms`)), req.timeoutMs);
    function fail(err: Error) {
      clearTimeout(timer);
      reject(err);
    }
    r.on('error', fail);
    r.end(req.body);
  });

/** An injected `fetch` as a transport. */
export function fetchTransport(doFetch: typeof fetch): Transport {
  return async (url, req) => {
    const res = await doFetch(url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(req.timeoutMs) });
    const text = await res.text();
    return { status: res.status, header: (name) => res.headers.get(name), text };
  };
}
