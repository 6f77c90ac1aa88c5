/**
 * The worker's once-a-minute walk that gives lost jobs back: tickets and store webhooks
 * (src/ingest/recover-lost-jobs.ts), then approvals (src/api/approval-recovery.ts).
 */
import { recoverLostApprovals } from '../api/approval-recovery.js';
import { recoverLostJobs, type Cursor } from '../ingest/recover-lost-jobs.js';
import type { AppContext } from './context.js';

export type LostJobRecovery = { stop(): Promise<void> };

/**
 * Every minute (more often when LOST_JOB_RECOVERY_AFTER_S is under five minutes), walks all
 * pending events older than the window, a batch at a time and oldest first, so that after Redis
 * lost everything every ticket gets its job back within one walk, and a long backlog of waiting
 * jobs at the front cannot hide a lost one behind it. Errors (Redis or Postgres away) are logged
 * and the next walk tries again.
 */
export function startLostJobRecovery(ctx: Pick<AppContext, 'db' | 'queues' | 'logger' | 'config'>): LostJobRecovery {
  const olderThanMs = ctx.config.LOST_JOB_RECOVERY_AFTER_S * 1000;
  const everyMs = Math.min(60_000, Math.max(1000, olderThanMs / 5));
  let stopped = false;
  let running: Promise<void> | null = null;
  const walk = async () => {
    try {
      let after: Cursor | null = null;
      do ({ next: after } = await recoverLostJobs(ctx, { olderThanMs, after }));
      while (after && !stopped);
      if (!stopped) await recoverLostApprovals(ctx, { olderThanMs });
    } catch (err) {
      ctx.logger.warn({ err: (err as Error).message }, 'lost-job recovery failed; trying again later');
    }
  };
  const timer = setInterval(() => {
    running ??= walk().finally(() => (running = null));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
