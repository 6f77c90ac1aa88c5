/**
 * The load driver: signs Zendesk webhooks exactly as Zendesk does (base64 HMAC-SHA256 of
 * timestamp + raw body, docs "Verifying webhook authenticity") and fires them at the web
 * process, either closed-loop (N tickets, C in flight) or open-loop (R per second for D seconds).
 */
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export type SignedRequest = { path: string; body: string | Buffer; headers: Record<string, string> };
export type Ack = { status: number; ms: number; body: string; headers?: Record<string, string | string[] | undefined> };

export function zendeskSignatureHeaders(secret: string, body: string | Buffer, at = new Date()): Record<string, string> {
  const timestamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const signature = createHmac('sha256', secret).update(timestamp).update(body).digest('base64');
  return {
    'content-type': 'application/json',
    'x-zendesk-webhook-signature': signature,
    'x-zendesk-webhook-signature-timestamp': timestamp,
  };
}

/** Keep-alive HTTP to one loopback origin; answers never throw for HTTP statuses. */
export function createSender(baseUrl: string, maxSockets = 256) {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets });
  const send = (method: string, req: SignedRequest, timeoutMs = 30_000): Promise<Ack> =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const r = request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path: req.path,
          agent,
          headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }),
          );
          res.on('error', reject);
        },
      );
      r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      r.on('error', reject);
      r.end(req.body);
    });
  return {
    post: (req: SignedRequest, timeoutMs?: number) => send('POST', req, timeoutMs),
    close: () => agent.destroy(),
  };
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` at once. */
export async function closedLoop(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < n) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, n)) }, lane));
}

/**
 * Starts `task(i)` at a steady `rate` per second for `durationS` seconds (open loop: a slow
 * system does not slow the arrivals down, as with real customers). Resolves when all finished.
 */
export async function openLoop(rate: number, durationS: number, task: (i: number) => Promise<void>): Promise<number> {
  const total = Math.max(1, Math.round(rate * durationS));
  const started = performance.now();
  const running: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    running.push(task(i));
  }
  await Promise.all(running);
  return total;
}
