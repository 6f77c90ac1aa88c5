import { useState } from 'react';
import { api, DELIVERIES_PAGE } from '../api';
import { Badge } from '../components/Badge';
import { SkippedDeliveries } from '../components/SkippedDeliveries';
import { EmptyState, ErrorState, Loading, Notice } from '../components/StateViews';
import { deliveriesChanged } from '../events';
import { label, shortDateTime } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import type { Delivery } from '../types';
import { useAsync } from '../useAsync';

/**
 * Tickets that did not get through: the helpdesk refused them (a revoked token, a missing
 * permission) or stayed down longer than the retries. Once the cause is fixed a lead sends them
 * again; the server makes sure nothing already sent is sent twice.
 */
export function DeliveriesPage() {
  const { storeId, canWrite } = useSession();
  const list = useAsync(
    () => Promise.all([api.deadDeliveries(storeId), api.deliverySummary(storeId)]).then(([rows, summary]) => ({ rows, dead: summary.dead })),
    [storeId],
  );
  const [queued, setQueued] = useState<ReadonlySet<string>>(new Set());
  const [working, setWorking] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [version, setVersion] = useState(0);

  const rows = list.data?.rows ?? [];
  const total = list.data?.dead;
  const waiting = rows.filter((d) => d.retryable && !queued.has(d.id));

  const run = async (ids: string[], call: () => Promise<number>) => {
    setWorking(true);
    setNotice(undefined);
    try {
      const n = await call();
      setQueued((prev) => new Set([...prev, ...ids]));
      setNotice({ kind: 'ok', text: `${n === 1 ? '1 delivery is' : `${n} deliveries are`} queued: the bot answers in a moment.` });
      deliveriesChanged();
    } catch (err) {
      setNotice({ kind: 'error', text: (err as Error).message });
    } finally {
      setWorking(false);
    }
  };
  const retryOne = (d: Delivery) => run([d.id], () => api.retryDelivery(storeId, d.id).then(() => 1));
  const retryAll = () => run(waiting.map((d) => d.id), () => api.retryAllDeliveries(storeId).then((r) => r.queued));
  const refresh = () => {
    setQueued(new Set());
    setNotice(undefined);
    list.reload();
    setVersion((v) => v + 1);
  };

  return (
    <section>
      <div className="page-head">
        <h1 tabIndex={-1}>Failed deliveries</h1>
        <div className="buttons">
          <button type="button" className="btn" onClick={refresh}>
            Refresh
          </button>
          {canWrite && (
            <button type="button" className="btn btn-primary" disabled={working || waiting.length === 0} onClick={retryAll}>
              Retry all ({waiting.length})
            </button>
          )}
        </div>
      </div>
      <p className="muted">
        Fix the cause first (for a refused token, update it in <Link to="/settings">Settings</Link>), then retry. A retry never
        sends a reply or runs a store action twice.
      </p>
      {!canWrite && <p className="notice notice-error">This key can read only: retrying needs a key with write permission.</p>}
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      {list.loading && !list.data ? (
        <Loading what="Loading failed deliveries" />
      ) : list.error || !list.data ? (
        <ErrorState error={list.error ?? new Error('no data')} retry={list.reload} title="Could not load deliveries" />
      ) : rows.length === 0 ? (
        <EmptyState title="No failed deliveries.">
          When the helpdesk refuses a ticket (an expired token, a missing permission) or stays down longer than the retries
          (about two minutes), the ticket is kept here so it can be sent again once the cause is fixed.
        </EmptyState>
      ) : (
        <>
          {rows.length >= DELIVERIES_PAGE && (
            <p className="muted small">
              Showing the newest {DELIVERIES_PAGE}
              {total !== undefined && total > rows.length && <> of {total}</>}. Retry all sends up to 1,000 at a time, oldest first;
              refresh to see the rest.
            </p>
          )}
          <table className="table deliveries">
            <caption className="sr-only">Failed deliveries, most recent first</caption>
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">From</th>
                <th scope="col">Ticket</th>
                <th scope="col">What went wrong</th>
                <th scope="col">Attempts</th>
                <th scope="col">
                  <span className="sr-only">Retry</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id} aria-label={d.ticket_id ? `${label(d.source)} ticket ${d.ticket_id}` : `${label(d.source)} ${label(d.event_type).toLowerCase()}`}>
                  <td>{shortDateTime(d.received_at)}</td>
                  <td>{label(d.source)}</td>
                  <td>
                    {d.conversation_id ? <Link to={`/conversations/${d.conversation_id}`}>{d.ticket_id ?? 'Conversation'}</Link> : (d.ticket_id ?? label(d.event_type))}
                  </td>
                  <td className="snippet">
                    {d.error ?? <span className="muted">—</span>}
                    <Hint delivery={d} />
                  </td>
                  <td>{d.attempts}</td>
                  <td>
                    {queued.has(d.id) ? (
                      <Badge value="queued" />
                    ) : !d.retryable ? (
                      <span className="muted small">Kept for inspection</span>
                    ) : (
                      canWrite && (
                        <button type="button" className="btn" disabled={working} onClick={() => retryOne(d)}>
                          Retry
                        </button>
                      )
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <SkippedDeliveries storeId={storeId} version={version} />
    </section>
  );
}

function Hint({ delivery }: { delivery: Delivery }) {
  const text = hint(delivery);
  return text ? <div className="muted small">{text}</div> : null;
}

/** What to fix before retrying, from the vendor's answer. */
function hint(d: Delivery): string | null {
  if (!d.retryable) return 'The delivery could not be read when it arrived; there is nothing to send again.';
  const e = d.error ?? '';
  if (/\b401\b|authenticat|unauthori[sz]ed|invalid.*token/i.test(e)) return 'The helpdesk refused our credentials: update the token in Settings.';
  if (/\b403\b|forbidden|permission/i.test(e)) return 'The helpdesk account lacks a permission the bot needs.';
  if (/\b(429|5\d\d)\b|timed? ?out|unavailable|ECONN/i.test(e)) return 'The helpdesk was unavailable for longer than the retries.';
  return null;
}
