import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import type { KnowledgeHit } from '../../types';
import { EmptyState, ErrorState, Loading } from '../StateViews';

/** Ask what a customer would ask and see the passages the bot would read. */
export function SearchPreview({ storeId }: { storeId: string }) {
  const [q, setQ] = useState('');
  const [state, setState] = useState<{ hits?: KnowledgeHit[]; error?: Error; loading?: boolean; asked?: string }>({});

  const search = async (e: FormEvent) => {
    e.preventDefault();
    const query = q.trim();
    if (!query) return;
    setState({ loading: true, asked: query });
    try {
      setState({ hits: await api.searchKnowledge(storeId, query), asked: query });
    } catch (err) {
      setState({ error: err as Error, asked: query });
    }
  };

  return (
    <section className="card" aria-labelledby="kb-search-title">
      <h2 id="kb-search-title">Search preview</h2>
      <form onSubmit={search} className="field">
        <label htmlFor="kb-q">A question as a customer would ask it</label>
        <div className="inline">
          <input id="kb-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Can I return an opened item?" />
          <button type="submit" className="btn btn-primary" disabled={!q.trim()}>
            Search
          </button>
        </div>
      </form>
      {state.loading && <Loading what="Searching" />}
      {state.error && <ErrorState error={state.error} title="Search failed" />}
      {state.hits &&
        (state.hits.length === 0 ? (
          <EmptyState title={`Nothing in the knowledge base matches “${state.asked}”.`}>
            The bot would escalate or answer without a policy passage. Import a document that covers it.
          </EmptyState>
        ) : (
          <ol className="hits" aria-label={`Passages for “${state.asked}”`}>
            {state.hits.map((h) => (
              <li key={h.chunkId}>
                <p className="citation-source">
                  {h.documentTitle}
                  {(h.headingPath || h.heading) && <> › {h.headingPath || h.heading}</>}
                  <span className="muted small"> score {h.score.toFixed(3)}</span>
                </p>
                <blockquote>{h.content.length > 500 ? `${h.content.slice(0, 499)}…` : h.content}</blockquote>
              </li>
            ))}
          </ol>
        ))}
    </section>
  );
}
