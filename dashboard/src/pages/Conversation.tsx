import { useState } from 'react';
import { api, ApiError } from '../api';
import { Badge } from '../components/Badge';
import { Messages } from '../components/Messages';
import { ConversationActions } from '../components/ConversationActions';
import { ErrorState, Loading } from '../components/StateViews';
import { TraceView } from '../components/TraceView';
import { dateTime, label } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { useAsync } from '../useAsync';

/** One conversation: the thread on the left, the bot's reasoning for the chosen turn on the right. */
export function ConversationPage({ id }: { id: string }) {
  const { canWrite } = useSession();
  const conv = useAsync(() => api.conversation(id), [id]);
  const [chosen, setChosen] = useState<string | null>(null);

  if (conv.loading && !conv.data) return <Loading what="Loading the conversation" />;
  if (conv.error || !conv.data) {
    return (
      <section>
        <h1 tabIndex={-1}>Conversation</h1>
        <ErrorState
          error={conv.error ?? new Error('not found')}
          retry={conv.error instanceof ApiError && conv.error.status === 404 ? undefined : conv.reload}
          title="Could not load this conversation"
        />
        <p>
          <Link to="/conversations">Back to conversations</Link>
        </p>
      </section>
    );
  }
  const c = conv.data;
  const traces = [...c.traces].sort((a, b) => b.created_at.localeCompare(a.created_at));
  const traced = new Set(traces.map((t) => t.message_id).filter((m): m is string => !!m));
  const trace = traces.find((t) => t.message_id === chosen) ?? traces[0];

  return (
    <section>
      <p className="breadcrumb">
        <Link to="/conversations">Conversations</Link> ›
      </p>
      <div className="page-head">
        <h1 tabIndex={-1}>{c.customer_email ?? 'Unknown customer'}</h1>
        {canWrite && <ConversationActions id={c.id} status={c.status} onChanged={conv.reload} />}
      </div>
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <Badge value={c.status} />
          </dd>
        </div>
        <div>
          <dt>Intent</dt>
          <dd>{label(c.primary_intent)}</dd>
        </div>
        <div>
          <dt>Sentiment</dt>
          <dd>
            <Badge value={c.sentiment} />
          </dd>
        </div>
        <div>
          <dt>Priority</dt>
          <dd>{label(c.priority)}</dd>
        </div>
        <div>
          <dt>Order</dt>
          <dd>{c.order_number ?? '—'}</dd>
        </div>
        <div>
          <dt>Channel</dt>
          <dd>{label(c.channel)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{dateTime(c.created_at)}</dd>
        </div>
        {c.csat_score != null && (
          <div>
            <dt>CSAT</dt>
            <dd>{c.csat_score} / 5</dd>
          </div>
        )}
      </dl>
      {c.resolution_summary && <p className="summary">Resolution: {c.resolution_summary}</p>}

      <div className="split">
        <section aria-labelledby="thread-title" className="panel">
          <h2 id="thread-title">Messages</h2>
          <Messages
            messages={c.messages}
            conversationId={c.id}
            selectedTraceMessage={trace?.message_id ?? null}
            tracedMessages={traced}
            onSelectTrace={setChosen}
            onDecided={conv.reload}
            canWrite={canWrite}
          />
        </section>
        <section aria-labelledby="trace-title" className="panel">
          <h2 id="trace-title">Decision trace</h2>
          {trace ? (
            <TraceView trace={trace} actions={c.actions} />
          ) : (
            <p className="muted">The bot has not handled a message in this conversation yet.</p>
          )}
        </section>
      </div>
    </section>
  );
}
