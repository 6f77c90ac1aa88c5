/**
 * An OpenAI-compatible chat completions stand-in on loopback with a fixed delay per call, to
 * measure conversations in flight behind a slow model. Answers `POST …/chat/completions` like the
 * API (https://platform.openai.com/docs/api-reference/chat/object; same shapes as
 * test/helpers/openai-mock.ts): a structured request (json_schema response_format, or a function
 * tool) gets an understanding of the message in the asked shape; a plain request gets a short
 * reply that only repeats facts from the prompt (so the grounding check passes).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Body = {
  model?: string;
  response_format?: unknown;
  tools?: { function?: { name?: string } }[];
  messages?: { role: string; content: unknown }[];
};

export type OpenAIStandin = {
  /** Base URL to give as OPENAI_BASE_URL (ends in /v1). */
  url: string;
  stats(): { calls: number; inFlight: number; peakInFlight: number };
  close(): Promise<void>;
};

const ORDER = /#?\bW\d{7}\b/i;

export async function startOpenAIStandin(opts: { delayMs: number; port?: number }): Promise<OpenAIStandin> {
  let calls = 0;
  let inFlight = 0;
  let peakInFlight = 0;

  const answer = (b: Body) => {
    const user = [...(b.messages ?? [])].reverse().find((m) => m.role === 'user');
    const text = typeof user?.content === 'string' ? user.content : JSON.stringify(user?.content ?? '');
    const order = ORDER.exec(text)?.[0] ?? null;
    const structured = {
      intent: 'order_status',
      sub_intents: [],
      confidence: 0.93,
      language: 'en',
      sentiment: 'neutral',
      intensity: 2,
      indicators: [],
      wants_human: false,
      legal_threat: false,
      safety_issue: false,
      extracted_entities: { order_id: order, email: null, product: null },
      reasoning: 'asks where the order is',
    };
    const name = b.tools?.[0]?.function?.name;
    if (name) {
      return { content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name, arguments: JSON.stringify(structured) } }] };
    }
    if (b.response_format) return { content: JSON.stringify(structured) };
    const about = order ? ` about order ${order.startsWith('#') ? order : `#${order}`}` : '';
    return { content: `Thank you for your message${about}. Here is what we can see on our side; let us know if you need anything else.` };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, raw: string) => {
    if (req.method !== 'POST' || !(req.url ?? '').split('?')[0]!.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
      return;
    }
    calls++;
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    try {
      const b = JSON.parse(raw) as Body;
      await new Promise((r) => setTimeout(r, opts.delayMs));
      const message = answer(b);
      const body = JSON.stringify({
        id: `chatcmpl-${calls}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: b.model ?? 'stand-in',
        system_fingerprint: 'fp_bench',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', refusal: null, ...message },
            logprobs: null,
            finish_reason: message.tool_calls ? 'tool_calls' : 'stop',
          },
        ],
        usage: { prompt_tokens: 420, completion_tokens: 80, total_tokens: 500 },
      });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } catch (err) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: (err as Error).message, type: 'invalid_request_error' } }));
    } finally {
      inFlight--;
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => void handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    stats: () => ({ calls, inFlight, peakInFlight }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
