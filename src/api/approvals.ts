/**
 * Human approval of what the bot prepared:
 *
 *   GET  /api/v1/approvals               (read)  drafts and actions waiting for a person
 *   POST /api/v1/messages/:id/approve    (write) 202, optional edited `content`; sent by a job
 *   POST /api/v1/messages/:id/reject     (write) 200
 *   POST /api/v1/actions/:id/approve     (write) 202; run (and the customer told) by a job
 *   POST /api/v1/actions/:id/reject      (write) 200, optional `reason`
 *
 * 409 when the draft/action is no longer pending; another store's id is 404.
 */
import { Router, type Request } from 'express';
import type { AppContext } from '../app/context.js';
import { access, apiKeyOf, idParam } from './access.js';
import { approveAction, approveMessage, rejectAction, rejectMessage } from './approval-decisions.js';
import { listApprovals } from './approval-queries.js';
import { approvalsQuery, approveActionBody, approveMessageBody, rejectBody } from './schemas/approvals.js';

export function approvalsRouter(ctx: AppContext): Router {
  const router = Router();
  const who = (req: Request, what: string) => {
    const id = idParam(req, 'id', what);
    const key = apiKeyOf(req);
    return { storeId: key.storeId, id, apiKeyId: key.id };
  };

  router.get('/approvals', ...access(ctx, 'read'), async (req, res) => {
    const q = approvalsQuery.parse(req.query);
    res.json(await listApprovals(ctx.db, apiKeyOf(req).storeId, q.limit));
  });

  router.post('/messages/:id/approve', ...access(ctx, 'write'), async (req, res) => {
    const w = who(req, 'message');
    const body = approveMessageBody.parse(req.body ?? {});
    await approveMessage(ctx, w, body.content);
    res.status(202).json({ status: 'queued' });
  });

  router.post('/messages/:id/reject', ...access(ctx, 'write'), async (req, res) => {
    const w = who(req, 'message');
    const body = rejectBody.parse(req.body ?? {});
    await rejectMessage(ctx, w, body.reason);
    res.json({ status: 'rejected' });
  });

  router.post('/actions/:id/approve', ...access(ctx, 'write'), async (req, res) => {
    const w = who(req, 'action');
    approveActionBody.parse(req.body ?? {});
    await approveAction(ctx, w);
    res.status(202).json({ status: 'queued' });
  });

  router.post('/actions/:id/reject', ...access(ctx, 'write'), async (req, res) => {
    const w = who(req, 'action');
    const body = rejectBody.parse(req.body ?? {});
    await rejectAction(ctx, w, body.reason);
    res.json({ status: 'rejected' });
  });

  return router;
}
