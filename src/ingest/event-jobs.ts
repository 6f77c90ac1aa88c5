/** Which queue job processes an event from this source (Shopify webhooks update the store's data). */
export function jobFor(source: string): 'inbound.process' | 'commerce.webhook' {
  return source === 'shopify' ? 'commerce.webhook' : 'inbound.process';
}

/**
 * The id intake gives an event's job. Deterministic, so a redelivery enqueues nothing while the
 * job exists; an event whose job had another id (a replay) keeps that id in `job_id`.
 */
export function intakeJobId(eventId: string): string {
  return `ie-${eventId}`;
}
