import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { isDatabaseUnavailable } from '../../db/unavailable.js';
import { HttpError } from '../../errors.js';
import type { Logger } from '../../logger.js';

/** Body shape of every error answer: `{ "error": { "status", "message", "details"? } }`. */
export function errorBody(status: number, message: string, details?: unknown) {
  return { error: { status, message, ...(details === undefined ? {} : { details }) } };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json(errorBody(404, `no route for ${req.method} ${req.path}`));
};

/** Maps errors to the statuses in DESIGN.md; unknown errors are 500 without internals. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (err instanceof HttpError) {
      for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
      res.status(err.status).json(errorBody(err.status, err.message, err.details));
      return;
    }
    if (err instanceof ZodError) {
      res.status(400).json(errorBody(400, 'invalid request', err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))));
      return;
    }
    if (e.type === 'entity.too.large') {
      res.status(413).json(errorBody(413, 'request body too large'));
      return;
    }
    if (e.type === 'entity.parse.failed') {
      res.status(400).json(errorBody(400, 'malformed JSON body'));
      return;
    }
    if (e.type && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json(errorBody(e.status, e.message ?? 'bad request'));
      return;
    }
    if (isDatabaseUnavailable(err)) {
      // Nothing was recorded: the sender should come back (vendors retry a 503 with Retry-After,
      // and may drop a delivery answered 500).
      logger.warn({ reqId: req.id, err: (err as Error)?.message }, 'database unavailable');
      res.setHeader('Retry-After', '5');
      res.status(503).json(errorBody(503, 'database unavailable, retry later'));
      return;
    }
    logger.error({ reqId: req.id, err: (err as Error)?.message, stack: (err as Error)?.stack }, 'unhandled error');
    res.status(500).json(errorBody(500, 'internal error'));
  };
}
