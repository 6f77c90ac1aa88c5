/** Which queue job processes an event from this source (Shopify webhooks update the store's data). */
export function jobFor(source: string): 'inbound.process' | 'commerce.webhook' {
  return source === 'shopify' ? 'commerce.webhook' : 'inbound.process';
}

const JOB_ID_PREFIX = 'ie-';

/**
 * The id intake gives an event's job. Deterministic, so a redelivery enqueues nothing while the
 * job exists; an event whose job had another id (a replay) keeps that id in `job_id`.
 */
export function intakeJobId(eventId: string): string {
  return `${JOB_ID_PREFIX}${eventId}`;
}

/**
 * The id a replay of a dead event gives its job, as SQL over an `inbound_events` row (computed in
 * the statement that requeues it): the intake id plus the attempt count, since the dead job of
 * the same event is still in the queue and BullMQ ignores an id it already holds.
 */
export const REPLAY_JOB_ID_SQL = `'${JOB_ID_PREFIX}' || id || '-retry-' || attempts`;
