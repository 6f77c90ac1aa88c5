import type { ApiKeyRecord } from '../security/api-keys.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by the request-id middleware; echoed as X-Request-Id. */
      id: string;
      /** Set by requireApiKey. */
      apiKey?: ApiKeyRecord;
      /** The raw body bytes, on webhook routes only (signatures are computed over them). */
      rawBody?: Buffer;
    }
  }
}

export {};
