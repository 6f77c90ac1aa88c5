/**
 * The statuses of a delivery that is not finished: still to be answered (pending) or given up
 * and waiting for a person (dead). The partial index inbound_events_unfinished_idx (migrations)
 * covers exactly these, so counting them never reads the processed history.
 */
export const PENDING_STATUSES = ['received', 'queued', 'processing', 'failed'] as const;
export const UNFINISHED_STATUSES = [...PENDING_STATUSES, 'dead'] as const;

/**
 * Starts the error of a pending delivery whose last run was refused by the helpdesk's rate limit
 * (it waits its turn without spending retries), so the backlog can say why it waits.
 */
export const RATE_LIMITED_ERROR_PREFIX = 'waiting out the helpdesk rate limit: ';

/**
 * SQL: the event holds something a job can process. Dead letters kept at intake hold only the raw
 * body (`{raw}`): no job to run, nothing to replay.
 */
export const READABLE_EVENT_SQL = `(payload -> 'raw') is null`;
