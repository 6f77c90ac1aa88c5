/**
 * POST /webhooks/zendesk and POST /webhooks/gorgias (mounted with rawBody: signatures are over
 * the raw bytes). Step 1 of DESIGN "Flow of one ticket": verify → record → enqueue → answer.
 * Nothing slow runs here: no vendor API call, no model.
 *
 * Store resolution: `?store=<slug or id>`, default `demo` (a single-store install points the
 * vendor at the bare URL; a multi-store install adds ?store=<slug> per store).
 *
 * Answers: 202 accepted | 200 duplicate | 200 ignored (not a customer message) | 400 malformed
 * (kept as a dead letter when signed) | 401 bad/missing/stale signature | 404 unknown store or
 * helpdesk not connected | 413 too large (app body limit) | 503 queue down (the vendor retries).
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../app/context.js';
import { badRequest, notFound, unauthorized } from '../../errors.js';
import { ingestEvent, recordDeadLetter } from '../../ingest/ingest.js';
import { sha256Hex } from '../../security/crypto.js';
import { findStore, type Store } from '../../store/stores.js';
import {
  DEMO_STORE_SLUG,
  getHelpdeskConnector,
  type ConnectorDeps,
} from '../../../connectors/registry.js';
import type { HelpdeskConnector, WebhookRequest } from '../../../connectors/types.js';
import { WEBHOOK_TARGET_TTL_MS, WebhookTargets, type WebhookTarget } from './targets.js';

type WebhookKind = 'zendesk' | 'gorgias';

/** The store a webhook URL names and its helpdesk connector, remembered briefly (see targets.ts). */
export function helpdeskWebhookTargets(ctx: AppContext, opts: { now?: () => number } = {}): WebhookTargets {
  const load = async (kind: string, storeParam: string): Promise<WebhookTarget> => {
    // A slug or a uuid; anything else (NUL bytes, quotes…) names no store and never reaches SQL.
    const store = await findStore(ctx.db, storeParam);
    if (!store) return { store: null, connector: null };
    const connector = await getHelpdeskConnector(ctx, store, kind as WebhookKind);
    return connector ? { store, connector } : { store, connector: null };
  };
  return new WebhookTargets(load, WEBHOOK_TARGET_TTL_MS, opts.now);
}

export function helpdeskWebhooksRouter(
  ctx: AppContext,
  deps: Pick<ConnectorDeps, 'now'> & { targets?: WebhookTargets } = {},
): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  const log = ctx.logger.child({ component: 'helpdesk-webhooks' });
  const targets = deps.targets ?? helpdeskWebhookTargets(ctx);

  const handle = (kind: WebhookKind) => async (req: Request, res: Response) => {
    // 1. Which store, and its connector (credentials from the database, or env for `demo`).
    const q = req.query.store;
    const storeParam = typeof q === 'string' && q !== '' ? q : DEMO_STORE_SLUG;
    const found = await targets.get(kind, storeParam);
    let { store, connector } = usable(found.target, kind);

    // 2. Verify the raw bytes (constant time, timestamp window). Log why, never the secret.
    // A remembered connector that refuses gets a second chance from a fresh read: the secret may
    // have just been changed.
    const wreq = toWebhookRequest(req, now());
    let verdict = connector.verifyWebhook(wreq);
    if (!verdict.ok && found.remembered) {
      ({ store, connector } = usable((await targets.get(kind, storeParam, { fresh: true })).target, kind));
      verdict = connector.verifyWebhook(wreq);
    }
    if (!verdict.ok) {
      const reason = verdict.reason;
      log.warn({ reqId: req.id, storeId: store.id, kind, reason }, 'webhook rejected');
      throw unauthorized(`webhook verification failed: ${verdict.reason}`);
    }

    // 3. Parse. A signed but unusable body is kept (dead letter) so nothing that arrived is lost.
    const raw = wreq.rawBody.toString('utf8');
    const parsed = parseOrDeadLetter(connector, raw, wreq);
    if ('error' in parsed) {
      await recordDeadLetter(ctx, {
        storeId: store.id,
        source: kind,
        idempotencyKey: `dead:${sha256Hex(wreq.rawBody)}`,
        eventType: parsed.eventType,
        error: parsed.error,
        raw,
      });
      const eventType = parsed.eventType;
      log.warn({ reqId: req.id, storeId: store.id, kind, eventType }, 'webhook dead-lettered');
      throw badRequest(
        eventType === 'malformed_json' ? 'malformed JSON body' : `unrecognised ${kind} payload`,
      );
    }
    if (parsed.kind === 'ignored') {
      res.status(200).json({ status: 'ignored', reason: parsed.reason });
      return;
    }

    // 4. Record (unique per store+source+key) and enqueue; a failed enqueue throws 503.
    const result = await ingestEvent(ctx, {
      storeId: store.id,
      source: kind,
      idempotencyKey: parsed.idempotencyKey,
      eventType: 'customer_message',
      payload: parsed.event,
      job: 'inbound.process',
      delayMs: store.settings.reply_delay_s * 1000,
    });
    log.debug(
      { reqId: req.id, storeId: store.id, kind, inboundEventId: result.inboundEventId },
      `webhook ${result.status}`,
    );
    res.status(result.status === 'accepted' ? 202 : 200).json({ status: result.status });
  };

  router.post('/zendesk', handle('zendesk'));
  router.post('/gorgias', handle('gorgias'));
  return router;
}

/** The store and connector a webhook may be checked against, or the 404 saying which is missing. */
function usable(target: WebhookTarget, kind: WebhookKind): { store: Store; connector: HelpdeskConnector } {
  if (!target.store || target.store.status !== 'active') throw notFound('unknown store');
  if (!target.connector) throw notFound(`${kind} is not connected for this store`);
  return { store: target.store, connector: target.connector };
}

type Unusable = { error: string; eventType: 'malformed_json' | 'unrecognised_payload' };
type Parsed = ReturnType<HelpdeskConnector['parseWebhook']> | Unusable;

function parseOrDeadLetter(
  connector: HelpdeskConnector,
  raw: string,
  wreq: WebhookRequest,
): Parsed {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (err) {
    return { error: `malformed JSON: ${(err as Error).message}`, eventType: 'malformed_json' };
  }
  try {
    return connector.parseWebhook(body, wreq);
  } catch (err) {
    const error = `unrecognised payload: ${(err as Error).message}`.slice(0, 2000);
    return { error, eventType: 'unrecognised_payload' };
  }
}

function toWebhookRequest(req: Request, now: Date): WebhookRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') query[k] = v;
  return { rawBody: req.rawBody ?? Buffer.alloc(0), headers, query, url: req.originalUrl, now };
}
