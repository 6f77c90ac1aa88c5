import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Paths never written to logs: credentials and customer PII. Log ids (store, conversation,
 * ticket, job), never message bodies or addresses.
 */
export const REDACT_PATHS = [
  'password',
  'token',
  'accessToken',
  'access_token',
  'apiKey',
  'api_key',
  'secret',
  'authorization',
  'email',
  'customerEmail',
  'customer_email',
  'phone',
  'body',
  'content',
  'text',
  'address',
  'shippingAddress',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.apiKey',
  '*.api_key',
  '*.secret',
  '*.authorization',
  '*.email',
  '*.customerEmail',
  '*.customer_email',
  '*.phone',
  '*.body',
  '*.content',
  '*.text',
  '*.address',
  '*.shippingAddress',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-zendesk-webhook-signature"]',
  'req.headers["x-shopify-hmac-sha256"]',
  'req.headers["x-gorgias-token"]',
  'req.headers["x-webhook-token"]',
  'req.query.token',
];

export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  return pino({
    level,
    base: { service: 'helpdesk-bot' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...options,
  });
}
