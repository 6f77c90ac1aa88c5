import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { Badge } from '../components/Badge';
import { Select } from '../components/Select';
import { EmptyState, ErrorState, Loading } from '../components/StateViews';
import { label, shortDateTime, truncate } from '../format';
import { Link, navigate, useLocation } from '../router';
import { CHANNELS, INTENTS, OUTCOMES, SENTIMENTS, STATUSES, type ConversationSummary } from '../types';
import { useAsync } from '../useAsync';

const FILTERS = ['status', 'intent', 'sentiment', 'channel', 'outcome', 'q'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

/** Every conversation the bot touched, filtered by what a lead looks for; filters live in the URL. */
export function ConversationsPage() {
  const { query } = useLocation();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, query.get(f) ?? ''])) as Filters;
  const key = FILTERS.map((f) => filters[f]).join('|');
  const [search, setSearch] = useState(filters.q);
  const [more, setMore] = useState<ConversationSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<Error>();

  const list = useAsync(() => api.conversations({ ...filters, limit: 25 }), [key]);
  useEffect(() => {
    setMore([]);
    setCursor(list.data?.next_cursor ?? null);
  }, [list.data]);
  useEffect(() => setSearch(filters.q), [filters.q]);

  const set = (name: keyof Filters, value: string) => {
    const next = new URLSearchParams(query);
    if (value) next.set(name, value);
    else next.delete(name);
    const s = next.toString();
    navigate(`/conversations${s ? `?${s}` : ''}`, { replace: true });
  };
  const submitSearch = (e: FormEvent) => {
    e.preventDefault();
    set('q', search.trim());
  };
  const loadMore = async () => {
    if (!cursor) return;
    setMoreError(undefined);
    try {
      const page = await api.conversations({ ...filters, limit: 25, cursor });
      setMore((m) => [...m, ...page.data]);
      setCursor(page.next_cursor);
    } catch (err) {
      setMoreError(err as Error);
    }
  };
  const filtered = FILTERS.some((f) => filters[f]);
  const rows = [...(list.data?.data ?? []), ...more];

  return (
    <section>
      <h1 tabIndex={-1}>Conversations</h1>
      <div className="filters" role="search" aria-label="Filter conversations">
        <form className="field search" onSubmit={submitSearch}>
          <label htmlFor="f-q">Search</label>
          <div className="inline">
            <input
              id="f-q"
              type="search"
              value={search}
              placeholder="Email, order number or text"
              onChange={(e) => setSearch(e.target.value)}
            />
            <button type="submit" className="btn">
              Search
            </button>
          </div>
        </form>
        <Select id="f-status" text="Status" any="All" value={filters.status} options={STATUSES} onChange={(v) => set('status', v)} />
        <Select id="f-intent" text="Intent" any="All" value={filters.intent} options={INTENTS} onChange={(v) => set('intent', v)} />
        <Select id="f-sentiment" text="Sentiment" any="All" value={filters.sentiment} options={SENTIMENTS} onChange={(v) => set('sentiment', v)} />
        <Select id="f-channel" text="Channel" any="All" value={filters.channel} options={CHANNELS} onChange={(v) => set('channel', v)} />
        <Select id="f-outcome" text="Mode (outcome)" any="All" value={filters.outcome} options={OUTCOMES} onChange={(v) => set('outcome', v)} />
        {filtered && (
          <button type="button" className="btn btn-quiet clear" onClick={() => navigate('/conversations', { replace: true })}>
            Clear filters
          </button>
        )}
      </div>

      {list.loading && !list.data ? (
        <Loading what="Loading conversations" />
      ) : list.error ? (
        <ErrorState error={list.error} retry={list.reload} title="Could not load conversations" />
      ) : rows.length === 0 ? (
        filtered ? (
          <EmptyState title="No conversation matches these filters.">Clear a filter or search for something else.</EmptyState>
        ) : (
          <EmptyState title="No conversations yet.">
            They appear here as soon as a customer writes through a connected helpdesk, the mailbox or the API. You can also{' '}
            <Link to="/try">try the bot as a customer</Link>.
          </EmptyState>
        )
      ) : (
        <>
          <table className="table conversations">
            <caption className="sr-only">Conversations, most recent first</caption>
            <colgroup>
              <col className="c-customer" />
              <col className="c-message" />
              <col className="c-intent" />
              <col className="c-badge" />
              <col className="c-badge" />
              <col className="c-badge" />
              <col className="c-date" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col">Last message</th>
                <th scope="col">Intent</th>
                <th scope="col">Sentiment</th>
                <th scope="col">Outcome</th>
                <th scope="col">Status</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/conversations/${c.id}`} className="row-link">
                      <Email value={c.customer_email} />
                    </Link>
                    <div className="muted small">
                      {label(c.channel)}
                      {c.order_number && <> · order {c.order_number}</>}
                    </div>
                  </td>
                  <td className="snippet">
                    {c.last_message ? (
                      <>
                        <span className="muted small">{label(c.last_message.role)}: </span>
                        {truncate(c.last_message.content.replace(/\s+/g, ' '), 110)}
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>{label(c.primary_intent)}</td>
                  <td>
                    <Badge value={c.sentiment} />
                  </td>
                  <td>
                    <Badge value={c.last_outcome} />
                  </td>
                  <td>
                    <Badge value={c.status} />
                  </td>
                  <td>{shortDateTime(c.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {moreError && <ErrorState error={moreError} retry={loadMore} title="Could not load more" />}
          {cursor && (
            <button type="button" className="btn" onClick={loadMore}>
              Load more
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** An address may break after its "@" rather than mid-word in a narrow column. */
function Email({ value }: { value: string | null }) {
  if (!value) return <>Unknown customer</>;
  const at = value.indexOf('@');
  if (at < 0) return <>{value}</>;
  return (
    <>
      {value.slice(0, at + 1)}
      <wbr />
      {value.slice(at + 1)}
    </>
  );
}
