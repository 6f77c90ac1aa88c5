import type { Knex } from 'knex';
import type { HelpdeskConnector, ReplyInput, TicketRef } from '../../connectors/types.js';
import { performOnce, type SentAlso } from '../store/external-writes.js';

/**
 * A reply or internal note on a helpdesk ticket, posted exactly once: `key` is both the ledger's
 * idempotency key and the marker the connector writes (and looks for after an ambiguous failure).
 * Returns the helpdesk's id of the comment, when it gave one. `recordedId` and `sentAlso` as in
 * performOnce: the ledger row already recorded, and bookkeeping made with marking it sent.
 */
export async function postOnce(
  db: Knex,
  input: {
    storeId: string;
    connector: HelpdeskConnector;
    ref: TicketRef;
    key: string;
    operation: 'reply' | 'note';
    reply: ReplyInput;
    recordedId?: string | null;
    sentAlso?: SentAlso;
  },
): Promise<string | null> {
  const { connector, ref, key } = input;
  const res = await performOnce(db, {
    storeId: input.storeId,
    idempotencyKey: key,
    target: connector.kind,
    operation: input.operation,
    execute: () => connector.postReply(ref, input.reply, { idempotencyKey: key }),
    reconcile: connector.findWrite ? () => connector.findWrite!(ref, { idempotencyKey: key }) : undefined,
    recordedId: input.recordedId,
    sentAlso: input.sentAlso,
  });
  return (res.result as { externalId?: string | null }).externalId ?? null;
}
