/**
 * A Zendesk Support API stand-in on loopback, for the bench and the failure tests. It serves the
 * calls our Zendesk connector makes (shapes as in test/fixtures/zendesk, from
 * developer.zendesk.com: tickets, ticket comments, tags) and records every comment the bot posts,
 * per ticket, with the time it arrived. A ticket may get more customer messages (a follow-up is
 * a StandinTicket with the same id and another comment id); the thread lists them all in order:
 *   GET  /api/v2/tickets/{id}.json            → {ticket, users}
 *   GET  /api/v2/tickets/{id}/comments.json   → {comments, users, next_page: null}
 *   PUT  /api/v2/tickets/{id}/tags.json       → {tags}
 *   PUT  /api/v2/tickets/{id}.json            → {ticket, audit: {events: [Comment]}} (records it)
 * It can be told to fail for a while (429 with Retry-After, 500, or 401 for a revoked token), and
 * to fail *after* applying a write (the ambiguous case the exactly-once ledger must reconcile).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { escapeHtml } from '../connectors/text.js';

export const BOT_USER_ID = '900000000001';

export type StandinTicket = {
  id: string;
  requesterId: string;
  requesterEmail: string;
  requesterName: string;
  subject: string;
  commentId: string;
  text: string;
  createdAt: string;
};

export type RecordedComment = {
  id: string;
  public: boolean;
  htmlBody: string;
  authorId: string | null;
  /** performance.now() when the write arrived (same clock as the load driver). */
  at: number;
  /** Wall-clock time of the write, as the thread shows it. */
  createdAt: string;
};

export type Fault = {
  /** 401: the API token was revoked (a permanent error: no retries until someone fixes it). */
  status: 401 | 429 | 500 | 503;
  /** Seconds, sent as Retry-After (429/503). */
  retryAfterS?: number;
  /** Which requests fail: every call, only writes (PUT), or only comment writes (PUT ticket). */
  only?: 'all' | 'writes' | 'comments';
  /** Apply the write, then answer the error anyway (the reply exists, the caller can't know). */
  applyThenFail?: boolean;
  /** performance.now() after which the fault ends. */
  until: number;
};

export type HelpdeskStandin = {
  url: string;
  port: number;
  /**
   * Makes a ticket known (the load driver registers each ticket before its webhook); the same
   * ticket id with another comment id adds that customer message to the thread.
   */
  addTicket(t: StandinTicket): void;
  /** Comments the bot posted on a ticket, in order. */
  comments(ticketId: string): RecordedComment[];
  /** Tickets that received at least one comment. */
  answeredCount(): number;
  /**
   * Answers every comment write this much later (the comment is recorded at once): keeps jobs in
   * the middle of a write, where a crash leaves the ledger "recorded, maybe sent".
   */
  setWriteDelay(ms: number): void;
  /** Ends the current fault now. */
  clearFault(): void;
  /** Fail requests until `durationMs` from now. */
  fail(fault: Omit<Fault, 'until'> & { durationMs: number }): void;
  /** appliedThenFailed: comments saved but answered with an error (the caller had to reconcile). */
  stats(): { requests: number; faultsServed: number; appliedThenFailed: number };
  /** Called on every bot comment (bench: e2e timing, completion). */
  onComment(cb: (ticketId: string, c: RecordedComment) => void): void;
  close(): Promise<void>;
};

const TICKET_RE = /^\/api\/v2\/tickets\/(\d+)(\/comments|\/tags)?\.json$/;

/** `latencyMs`: every answer waits this long, like the round trip to a real Zendesk (100–300 ms). */
export async function startHelpdeskStandin(opts: { port?: number; latencyMs?: number } = {}): Promise<HelpdeskStandin> {
  const tickets = new Map<string, StandinTicket>();
  /** Customer messages of each ticket after the first, in the order they were added. */
  const followUps = new Map<string, StandinTicket[]>();
  const posted = new Map<string, RecordedComment[]>();
  const listeners: ((ticketId: string, c: RecordedComment) => void)[] = [];
  let fault: Fault | null = null;
  let writeDelayMs = 0;
  let requests = 0;
  let faultsServed = 0;
  let appliedThenFailed = 0;
  let nextCommentId = 9_500_000_000;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };
  const sendFault = (res: ServerResponse, f: Fault) => {
    faultsServed++;
    const headers: Record<string, string> = f.retryAfterS !== undefined ? { 'retry-after': String(f.retryAfterS) } : {};
    // Zendesk answers a bad or revoked token with a bare {"error": "Couldn't authenticate you"}.
    if (f.status === 401) return send(res, 401, { error: "Couldn't authenticate you" }, headers);
    const error = f.status === 429 ? 'APIRateLimitExceeded' : 'InternalError';
    send(res, f.status, { error, description: 'stand-in fault' }, headers);
  };
  const activeFault = (method: string, sub: string | undefined): Fault | null => {
    if (!fault) return null;
    if (performance.now() > fault.until) {
      fault = null;
      return null;
    }
    if (fault.only === 'writes' && method !== 'PUT') return null;
    if (fault.only === 'comments' && (method !== 'PUT' || sub)) return null;
    return fault;
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    requests++;
    const path = (req.url ?? '').split('?')[0] ?? '';
    const m = TICKET_RE.exec(path);
    const method = req.method ?? 'GET';
    if (!m) return send(res, 404, { error: 'RecordNotFound', description: 'Not found' });
    const sub = m[2];
    const f = activeFault(method, sub);
    if (f && !f.applyThenFail) return sendFault(res, f);
    const ticket = tickets.get(m[1]!);
    if (!ticket) return send(res, 404, { error: 'RecordNotFound', description: 'Not found' });
    if (method === 'GET' && !sub) return send(res, 200, ticketBody(ticket));
    if (method === 'GET' && sub === '/comments') {
      return send(res, 200, commentsBody(ticket, followUps.get(ticket.id) ?? [], posted.get(ticket.id) ?? []));
    }
    if (method === 'PUT' && sub === '/tags') {
      if (f) return sendFault(res, f);
      const tags = (safeJson(raw) as { tags?: string[] } | null)?.tags ?? [];
      return send(res, 200, { tags });
    }
    if (method === 'PUT' && !sub) {
      const body = safeJson(raw) as { ticket?: { comment?: { html_body?: string; public?: boolean; author_id?: number } } } | null;
      const c = body?.ticket?.comment;
      if (!c) return send(res, 422, { error: 'RecordInvalid', description: 'no comment' });
      const comment: RecordedComment = {
        id: String(nextCommentId++),
        public: c.public !== false,
        htmlBody: c.html_body ?? '',
        authorId: c.author_id !== undefined ? String(c.author_id) : null,
        at: performance.now(),
        createdAt: new Date().toISOString(),
      };
      const list = posted.get(ticket.id) ?? [];
      list.push(comment);
      posted.set(ticket.id, list);
      for (const l of listeners) l(ticket.id, comment);
      const answer = () => {
        if (f) {
          appliedThenFailed++;
          return sendFault(res, f);
        }
        return send(res, 200, {
          ticket: { id: Number(ticket.id) },
          audit: { id: Number(comment.id) - 1, events: [{ id: Number(comment.id), type: 'Comment', public: comment.public }] },
        });
      };
      if (writeDelayMs > 0) setTimeout(answer, writeDelayMs);
      else answer();
      return;
    }
    return send(res, 405, { error: 'MethodNotAllowed' });
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (opts.latencyMs) setTimeout(() => handle(req, res, raw), opts.latencyMs);
      else handle(req, res, raw);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    addTicket: (t) => {
      const first = tickets.get(t.id);
      if (!first) return void tickets.set(t.id, t);
      const more = followUps.get(t.id) ?? [];
      if (first.commentId !== t.commentId && !more.some((m) => m.commentId === t.commentId)) followUps.set(t.id, [...more, t]);
    },
    comments: (id) => posted.get(id) ?? [],
    answeredCount: () => posted.size,
    setWriteDelay: (ms) => {
      writeDelayMs = ms;
    },
    clearFault: () => {
      fault = null;
    },
    fail: ({ durationMs, ...f }) => {
      fault = { ...f, until: performance.now() + durationMs };
    },
    stats: () => ({ requests, faultsServed, appliedThenFailed }),
    onComment: (cb) => void listeners.push(cb),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

function users(t: StandinTicket) {
  return [
    { id: Number(t.requesterId), name: t.requesterName, email: t.requesterEmail, role: 'end-user' },
    { id: Number(BOT_USER_ID), name: 'Support Bot', email: 'bot@bench.example', role: 'agent' },
  ];
}

function ticketBody(t: StandinTicket) {
  return {
    ticket: {
      id: Number(t.id),
      subject: t.subject,
      status: 'open',
      requester_id: Number(t.requesterId),
      assignee_id: null,
      tags: [],
      via: { channel: 'email' },
      created_at: t.createdAt,
      updated_at: t.createdAt,
    },
    users: users(t).slice(0, 1),
  };
}

function commentsBody(t: StandinTicket, followUps: StandinTicket[], posted: RecordedComment[]) {
  const customer = [t, ...followUps].map((m) => ({
    id: Number(m.commentId),
    type: 'Comment',
    author_id: Number(m.requesterId),
    body: m.text,
    plain_body: m.text,
    html_body: `<div class="zd-comment"><p>${escapeHtml(m.text)}</p></div>`,
    public: true,
    created_at: m.createdAt,
  }));
  const bot = posted.map((c) => ({
    id: Number(c.id),
    type: 'Comment',
    author_id: Number(BOT_USER_ID),
    html_body: c.htmlBody,
    public: c.public,
    created_at: c.createdAt,
  }));
  // Zendesk lists a ticket's comments oldest first.
  const comments = followUps.length ? [...customer, ...bot].sort((a, b) => a.created_at.localeCompare(b.created_at)) : [...customer, ...bot];
  return { comments, users: users(t), next_page: null, previous_page: null, count: comments.length };
}
