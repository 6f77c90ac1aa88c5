import { api } from '../api';
import { ActionDecision } from '../components/ActionDecision';
import { Badge } from '../components/Badge';
import { DraftDecision } from '../components/DraftDecision';
import { EmptyState, ErrorState, Loading } from '../components/StateViews';
import { Value } from '../components/Value';
import { confidence, dateTime, label } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { useAsync } from '../useAsync';

/** What waits for a human: drafted replies and store actions above the automatic limits. */
export function ApprovalsPage() {
  const { canWrite } = useSession();
  const queue = useAsync(() => api.approvals(), []);

  return (
    <section>
      <div className="page-head">
        <h1 tabIndex={-1}>Approvals</h1>
        <button type="button" className="btn" onClick={queue.reload}>
          Refresh
        </button>
      </div>
      {!canWrite && <p className="notice notice-error">This key can read only: approving needs a key with write permission.</p>}
      {queue.loading && !queue.data ? (
        <Loading what="Loading the approval queue" />
      ) : queue.error || !queue.data ? (
        <ErrorState error={queue.error ?? new Error('no data')} retry={queue.reload} title="Could not load the queue" />
      ) : (
        <>
          <section aria-labelledby="drafts-title">
            <h2 id="drafts-title">Drafted replies ({queue.data.drafts.length})</h2>
            {queue.data.drafts.length === 0 ? (
              <EmptyState title="No draft is waiting.">
                Replies the bot drafts (intents in draft mode, or confidence below the threshold) appear here.
              </EmptyState>
            ) : (
              <ul className="cards">
                {queue.data.drafts.map((d) => (
                  <li key={d.message_id} className="card draft" aria-label={`Draft for ${d.customer_email ?? 'a customer'}`}>
                    <div className="card-head">
                      <Link to={`/conversations/${d.conversation_id}`}>{d.customer_email ?? 'Open conversation'}</Link>
                      <span>{label(d.intent)}</span>
                      <span className="muted small">confidence {confidence(d.confidence)}</span>
                      <span className="muted small">{dateTime(d.created_at)}</span>
                    </div>
                    <blockquote className="draft-text">{d.content}</blockquote>
                    {d.action && (
                      <p className="small">
                        With action: <strong>{label(d.action.action_type)}</strong> {d.action.order_number} <Badge value={d.action.status} />{' '}
                        <span className="muted">— approving runs it first, then sends the reply.</span>
                      </p>
                    )}
                    {canWrite && <DraftDecision messageId={d.message_id} conversationId={d.conversation_id} content={d.content} />}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="actions-title">
            <h2 id="actions-title">Actions waiting for approval ({queue.data.actions.length})</h2>
            {queue.data.actions.length === 0 ? (
              <EmptyState title="No action is waiting.">
                Refunds above the automatic limit, and actions beyond a customer's daily cap, wait here.
              </EmptyState>
            ) : (
              <ul className="cards">
                {queue.data.actions.map((a) => (
                  <li key={a.id} className="card" aria-label={`${label(a.action_type)} ${a.order_number ?? ''}`}>
                    <div className="card-head">
                      <strong>{label(a.action_type)}</strong>
                      {a.order_number && <span>order {a.order_number}</span>}
                      <Badge value={a.status} />
                      {a.conversation_id && <Link to={`/conversations/${a.conversation_id}`}>Open conversation</Link>}
                      <span className="muted small">{dateTime(a.created_at)}</span>
                    </div>
                    {a.reason && <p>Why it waits: {a.reason}</p>}
                    {a.action_data && Object.keys(a.action_data).length > 0 && (
                      <details>
                        <summary>Details</summary>
                        <Value value={a.action_data} />
                      </details>
                    )}
                    {canWrite && <ActionDecision actionId={a.id} what={label(a.action_type).toLowerCase()} />}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </section>
  );
}
