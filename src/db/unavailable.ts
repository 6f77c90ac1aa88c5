/**
 * Errors that say "the database cannot be reached right now" rather than "this request is wrong":
 * the server refuses or drops connections (restart, failover, network), is starting up or
 * shutting down, has no connection slot left, or our pool could not hand out a connection in
 * time. Such a failure is retried later instead of being reported as a fault of the request:
 * webhooks answer 503 + Retry-After so the vendor delivers again, and jobs wait without spending
 * an attempt (a long outage must not turn every ticket in flight into a dead letter).
 */

/** Node socket errors on connect, read or write. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Postgres SQLSTATEs: class 08 (connection exception), 53300 too_many_connections, 57P01
 * admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up, shutting down).
 */
const SQLSTATES = new Set(['53300', '57P01', '57P02', '57P03']);

/** node-postgres and knex report lost or missing connections in messages without a code. */
const MESSAGES = [
  /Connection terminated/i,
  /is not queryable/i,
  /timeout exceeded when trying to connect/i,
  /Timeout acquiring a connection/i,
];

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (SOCKET_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  if (e.name === 'KnexTimeoutError') return true;
  const message = typeof e.message === 'string' ? e.message : '';
  if (MESSAGES.some((re) => re.test(message))) return true;
  // Connecting to a name with several addresses fails with an AggregateError of socket errors.
  return Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every(isDatabaseUnavailable);
}
