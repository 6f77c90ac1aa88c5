import { Router } from 'express';
import type { AppContext } from '../../app/context.js';
import { createEmailConnector } from '../../../connectors/email/email.factory.js';
import { ingestInboundEmail } from '../../../connectors/email/email.ingest.js';
import { decodeEmailWebhook, MalformedPayloadError } from '../../../connectors/email/email.payloads.js';
import { isEmailProvider } from '../../../connectors/email/email.webhooks.js';
import type { WebhookRequest } from '../../../connectors/types.js';
import { badRequest, HttpError, notFound } from '../../errors.js';
import { recordDeadLetter } from '../../ingest/ingest.js';
import { sha256Hex } from '../../security/crypto.js';
import { findStore } from '../../store/stores.js';

/**
 * POST /webhooks/email/{mailgun|postmark|sendgrid}?store=<slug or id>: inbound parse services.
 * verify (Mailgun signature, or the shared token) → decode → loop guard (ignored: 200 and nothing
 * recorded) → thread → record + enqueue → 202 (a redelivery: 200). Mounted with the raw body.
 */
export function emailWebhooksRouter(ctx: AppContext): Router {
  const router = Router();
  router.post('/email/:provider', async (req, res) => {
    const provider = String(req.params.provider);
    if (!isEmailProvider(provider)) throw notFound(`unknown email provider "${provider}"`);
    const storeParam = typeof req.query.store === 'string' ? req.query.store : '';
    if (!storeParam) throw badRequest('missing ?store=<store slug>');
    const store = await findStore(ctx.db, storeParam);
    if (!store || store.status !== 'active') throw notFound('unknown store');

    const connector = await createEmailConnector(ctx, store);
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [
        k.toLowerCase(),
        Array.isArray(v) ? v.join(', ') : (v ?? ''),
      ]),
    );
    const query = Object.fromEntries(
      Object.entries(req.query).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    const wreq: WebhookRequest = {
      rawBody: req.rawBody ?? Buffer.alloc(0),
      headers,
      query,
      url: req.originalUrl,
      now: new Date(),
    };
    const verified = connector.verifyWebhook(wreq);
    if (!verified.ok) throw new HttpError(401, `webhook rejected: ${verified.reason}`);

    let email;
    try {
      email = await decodeEmailWebhook(provider, wreq.rawBody, headers['content-type']);
    } catch (err) {
      if (!(err instanceof MalformedPayloadError)) throw err;
      // Signed but unusable: kept as a dead letter with the reason, and the sender is told why.
      await recordDeadLetter(ctx, {
        storeId: store.id,
        source: 'email',
        idempotencyKey: `email:dead:${sha256Hex(wreq.rawBody)}`,
        eventType: 'customer_message',
        error: `${provider}: ${err.message}`,
        raw: wreq.rawBody.toString('utf8'),
      });
      throw badRequest(`unusable ${provider} payload: ${err.message}`);
    }

    const result = await ingestInboundEmail(ctx, {
      storeId: store.id,
      settings: connector.settings,
      email,
      source: provider,
      replyDelayS: store.settings.reply_delay_s,
    });
    if (result.status === 'ignored') {
      res.status(200).json({ status: 'ignored', reason: result.reason });
      return;
    }
    res
      .status(result.status === 'accepted' ? 202 : 200)
      .json({ status: result.status, id: result.inboundEventId });
  });
  return router;
}
