import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { headersFromLines } from '../../connectors/email/email.headers.js';

/** One message as the SMTP server received it. */
export type SunkMail = {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
  /** Lower-case header name → raw (unfolded) value, first occurrence. */
  headers: Record<string, string>;
};

export type SmtpSink = {
  host: string;
  port: number;
  /** smtp://127.0.0.1:<port> — plain SMTP on loopback (the transport skips TLS only there). */
  url: string;
  messages: SunkMail[];
  /** Resolves once at least n messages arrived (rejects after timeoutMs). */
  waitFor(n: number, timeoutMs?: number): Promise<SunkMail[]>;
  stop(): Promise<void>;
};

/**
 * A real SMTP server (the `smtp-server` package) on a free loopback port that accepts any
 * login and collects every message, parsed. For tests of outbound mail. `rejectRecipients` get a
 * permanent 550 at RCPT TO.
 */
export async function startSmtpSink(opts: { rejectRecipients?: string[] } = {}): Promise<SmtpSink> {
  const rejected = new Set((opts.rejectRecipients ?? []).map((a) => a.toLowerCase()));
  const messages: SunkMail[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onAuth(_auth, _session, cb) {
      cb(null, { user: 'test' });
    },
    onRcptTo(address, _session, cb) {
      if (!rejected.has(address.address.toLowerCase())) return cb();
      // A permanent refusal, as a real server answers for an unknown mailbox.
      cb(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            const env = session.envelope;
            messages.push({
              envelope: {
                from: env.mailFrom ? env.mailFrom.address : '',
                to: env.rcptTo.map((r) => r.address),
              },
              raw,
              parsed,
              headers: headersFromLines(parsed.headerLines),
            });
            for (const w of waiters.filter((w) => messages.length >= w.n)) w.resolve();
            cb();
          })
          .catch((err: Error) => cb(err));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    host: '127.0.0.1',
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor(n, timeoutMs = 10_000) {
      if (messages.length >= n) return Promise.resolve(messages.slice());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${n} mails, got ${messages.length}`)), timeoutMs);
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve(messages.slice());
          },
        });
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
