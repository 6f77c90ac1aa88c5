import { api, SKIPPED_PAGE } from '../api';
import { label, shortDateTime } from '../format';
import { Link } from '../router';
import type { Delivery } from '../types';
import { useAsync } from '../useAsync';
import { ErrorState, Loading } from './StateViews';

/** The guard's reasons (src/delivery/guard.ts and the inbound job), in a support lead's words. */
const WHY: Record<string, string> = {
  human_replied: 'An agent had already replied.',
  assigned_to_human: 'The ticket is assigned to a person.',
  ticket_closed: 'The ticket was closed or solved.',
  bot_already_replied: 'The bot had already answered this message.',
  superseded: 'The customer wrote again right after; one reply answered both messages.',
  answered_with_earlier: "The helpdesk never sent this message's webhook; the reply to the customer's message before it answered it too.",
  reply_cap_reached: 'The bot reached its daily reply limit for this thread (Settings → Thresholds and limits).',
  channel_disabled: 'The bot is turned off for this channel (Settings → Channels).',
  store_inactive: 'The store is paused.',
  empty_message: 'The message had no text.',
  connector_not_configured: 'The helpdesk is not connected for this store.',
};

export function skipExplanation(reason: string | null): string {
  return (reason && WHY[reason]) ?? label(reason);
}

/**
 * Tickets the bot deliberately left alone, and why: the first place to look when someone asks
 * "why didn't the bot answer this one?".
 */
export function SkippedDeliveries({ storeId, version }: { storeId: string; version: number }) {
  const list = useAsync(() => api.skippedDeliveries(storeId), [storeId, version]);
  return (
    <section aria-labelledby="skipped-title" className="skipped">
      <h2 id="skipped-title">Left alone by the bot</h2>
      <p className="muted">The latest {SKIPPED_PAGE} messages the bot chose not to answer, and why. Nothing here needs a retry.</p>
      {list.loading && !list.data ? (
        <Loading what="Loading skipped messages" />
      ) : list.error || !list.data ? (
        <ErrorState error={list.error ?? new Error('no data')} retry={list.reload} title="Could not load skipped messages" />
      ) : list.data.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <table className="table skipped">
          <caption className="sr-only">Messages the bot left alone, most recent first</caption>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">From</th>
              <th scope="col">Ticket</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((d: Delivery) => (
              <tr key={d.id} aria-label={`${label(d.source)} ticket ${d.ticket_id ?? ''}`.trim()}>
                <td>{shortDateTime(d.received_at)}</td>
                <td>{label(d.source)}</td>
                <td>{d.conversation_id ? <Link to={`/conversations/${d.conversation_id}`}>{d.ticket_id ?? 'Conversation'}</Link> : (d.ticket_id ?? '—')}</td>
                <td>{skipExplanation(d.skip_reason)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
