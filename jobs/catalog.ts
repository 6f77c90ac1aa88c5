import { z } from 'zod';

/**
 * Every background job: its payload schema (ids only, never tokens, PII or message bodies),
 * retry policy and default concurrency. One BullMQ queue per entry.
 */
export type JobSpec<S extends z.ZodType = z.ZodType> = {
  schema: S;
  attempts: number;
  /** First retry delay; doubles each attempt, with jitter. A vendor's Retry-After wins. */
  backoffMs: number;
  concurrency: number;
  /** Keep at most this many finished jobs for inspection. */
  keepCompleted?: number;
};

const id = z.string().min(1).max(200);

export const jobCatalog = {
  /** Run the agent pipeline for one recorded inbound event (ticket message, email, API message). */
  'inbound.process': {
    schema: z.object({ storeId: z.string().uuid(), inboundEventId: z.string().uuid() }),
    attempts: 8,
    backoffMs: 1000,
    concurrency: 16,
  },
  /** Apply a commerce webhook (order/fulfillment update, uninstall, compliance request). */
  'commerce.webhook': {
    schema: z.object({ storeId: z.string().uuid(), inboundEventId: z.string().uuid() }),
    attempts: 8,
    backoffMs: 1000,
    concurrency: 8,
  },
  /** Deliver a reply or action a human approved (dashboard/API/helpdesk). */
  'approval.execute': {
    schema: z.object({ storeId: z.string().uuid(), kind: z.enum(['message', 'action']), id: z.string().uuid() }),
    attempts: 8,
    backoffMs: 1000,
    concurrency: 8,
  },
  /** Embed a knowledge document's chunks (when an embeddings provider is configured). */
  'knowledge.embed': {
    schema: z.object({ storeId: z.string().uuid(), documentId: z.string().uuid() }),
    attempts: 5,
    backoffMs: 2000,
    concurrency: 2,
  },
  /** Turn agent replies on a resolved ticket into candidate FAQ entries. */
  'knowledge.learn': {
    schema: z.object({ storeId: z.string().uuid(), conversationId: z.string().uuid() }),
    attempts: 3,
    backoffMs: 5000,
    concurrency: 2,
  },
  /** Poll a store's IMAP mailbox (repeatable). */
  'email.poll': {
    schema: z.object({ storeId: z.string().uuid(), mailbox: id.optional() }),
    attempts: 3,
    backoffMs: 5000,
    concurrency: 1,
  },
} satisfies Record<string, JobSpec>;

export type JobCatalog = Record<string, JobSpec>;
export type JobName = keyof typeof jobCatalog;
export type JobData<N extends JobName> = z.infer<(typeof jobCatalog)[N]['schema']>;

/** BullMQ queue names may not contain ':'; use the job name with dots as dashes. */
export function queueNameFor(jobName: string): string {
  return jobName.replace(/[.:]/g, '-');
}
