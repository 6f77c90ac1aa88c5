/**
 * Error classes that steer HTTP statuses and job retries. Never throw strings.
 * - HttpError: an API/webhook answer with a status and a reason for the client.
 * - RetryableError: a vendor 429/5xx/timeout; the job retries with backoff (honouring retryAfterMs).
 * - RateLimitedError: the vendor's rate limit (429, throttled); the job waits without spending a retry.
 * - PermanentError: a vendor 4xx or invalid data; the job fails without retrying.
 * - WaitError: the job waits for something on its way (a webhook); it runs again later, no retry spent.
 */
export class AppError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export class HttpError extends AppError {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, message, details);
export const unauthorized = (message = 'missing or invalid credentials') => new HttpError(401, message);
export const forbidden = (message = 'not allowed for this API key') => new HttpError(403, message);
export const notFound = (message = 'not found') => new HttpError(404, message);
export const conflict = (message: string) => new HttpError(409, message);

export class RetryableError extends AppError {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The vendor refused because the account is over its rate limit. That says nothing about the job
 * (another job spent the budget), so waiting it out does not use up the job's retries.
 */
export class RateLimitedError extends RetryableError {}

export class PermanentError extends AppError {
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The job cannot decide yet: it waits for something on its way (the webhook of a customer's newer
 * message) and runs again after `delayMs`, without spending a retry.
 */
export class WaitError extends AppError {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}
