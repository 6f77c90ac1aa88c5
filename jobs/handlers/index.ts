import type { Job } from 'bullmq';
import type { AppContext } from '../../src/app/context.js';
import { isDatabaseUnavailable } from '../../src/db/unavailable.js';
import { PermanentError, WaitError } from '../../src/errors.js';
import { RATE_LIMITED_ERROR_PREFIX } from '../../src/ingest/statuses.js';
import { pipelineRuntimeFor, type PipelineRuntime } from '../../src/pipeline/factory.js';
import type { jobCatalog } from '../catalog.js';
import { VendorCooldowns } from '../../connectors/cooldowns.js';
import { waitsOutRateLimit, type Handlers } from '../workers.js';
import { processInboundHandler } from './process-inbound.js';
import { commerceWebhookHandler } from './commerce-webhook.js';
import { knowledgeEmbedHandler } from './knowledge-embed.js';
import { knowledgeLearnHandler } from './knowledge-learn.js';
import { emailPollHandler } from './email-poll.js';
import { approvalExecuteHandler } from './approval-execute.js';

export type HandlerOptions = { runtime?: PipelineRuntime; io?: Parameters<typeof processInboundHandler>[2] };

/** The handler of each job, built with the process's clients. */
export function buildHandlers(ctx: AppContext, opts: HandlerOptions = {}): Handlers<typeof jobCatalog> {
  const runtime = opts.runtime ?? pipelineRuntimeFor(ctx);
  // One set of rate-limit holds for every job this process runs: a 429 for one ticket holds back
  // the other tickets of that helpdesk account too.
  const io = { cooldowns: new VendorCooldowns(), ...opts.io };
  const processInbound = processInboundHandler(ctx, runtime, io);
  return {
    'inbound.process': async (data, job: Job) => {
      try {
        return await processInbound(data);
      } catch (err) {
        await recordFailure(ctx, data.inboundEventId, job, err);
        throw err;
      }
    },
    'commerce.webhook': commerceWebhookHandler(ctx),
    'knowledge.embed': knowledgeEmbedHandler(ctx),
    'knowledge.learn': knowledgeLearnHandler(ctx),
    'email.poll': emailPollHandler(ctx),
    'approval.execute': approvalExecuteHandler(ctx, io),
  };
}

/**
 * Keeps the error on the event; after the last attempt (or a permanent error) the event is a dead
 * letter: kept with its error for a person to look at, never silently dropped.
 */
async function recordFailure(ctx: AppContext, inboundEventId: string, job: Job, err: unknown): Promise<void> {
  // A database outage is not the event's failure: the job waits for the database (jobs/workers.ts).
  if (isDatabaseUnavailable(err)) return;
  // A job that waits (a rate limit, a webhook on its way) spends no attempt (jobs/workers.ts):
  // never its last one.
  const rateLimited = waitsOutRateLimit(err, job);
  const waits = rateLimited || err instanceof WaitError;
  const final = !waits && (err instanceof PermanentError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
  const message = String((err as Error)?.message ?? err);
  await ctx.db('inbound_events')
    .where({ id: inboundEventId })
    .update({ status: final ? 'dead' : 'queued', error: `${rateLimited ? RATE_LIMITED_ERROR_PREFIX : ''}${message}`.slice(0, 2000) })
    .catch(() => {});
}
