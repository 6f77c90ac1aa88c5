import { useState } from 'react';
import { api } from '../../api';
import { dateTime, label } from '../../format';
import { useAsync } from '../../useAsync';
import { Value } from '../Value';
import { EmptyState, ErrorState, Loading, Notice } from '../StateViews';

/** Connected helpdesks (non-secret details only) with a live credentials check. */
export function ConnectorsCard({ storeId, canAdmin }: { storeId: string; canAdmin: boolean }) {
  const list = useAsync(() => api.connectors(storeId), [storeId]);
  const [results, setResults] = useState<Record<string, { ok: boolean; text: string } | 'testing'>>({});

  const test = async (kind: string) => {
    setResults((r) => ({ ...r, [kind]: 'testing' }));
    try {
      const res = await api.testConnector(storeId, kind);
      setResults((r) => ({ ...r, [kind]: { ok: res.ok, text: res.message ?? (res.ok ? 'Connected.' : 'Failed.') } }));
    } catch (err) {
      setResults((r) => ({ ...r, [kind]: { ok: false, text: (err as Error).message } }));
    }
  };

  return (
    <section className="card settings-section" aria-labelledby="connectors-title">
      <h2 id="connectors-title">Connectors</h2>
      {list.loading && !list.data ? (
        <Loading what="Loading connectors" />
      ) : list.error || !list.data ? (
        <ErrorState error={list.error ?? new Error('no data')} retry={list.reload} title="Could not load connectors" />
      ) : list.data.connectors.length === 0 ? (
        <EmptyState title="No helpdesk is connected.">
          Connect Zendesk or Gorgias with <code>PUT /api/v1/stores/{'{store}'}/connectors/{'{kind}'}</code> and the vendor's
          credentials; the bot still answers the API, widget and the demo store without one.
        </EmptyState>
      ) : (
        <ul className="cards">
          {list.data.connectors.map((c) => {
            const r = results[c.kind];
            return (
              <li key={c.kind} className="card connector">
                <div className="card-head">
                  <strong>{label(c.kind)}</strong>
                  {c.source && <span className="muted small">from {c.source}</span>}
                  <span className="muted small">updated {dateTime(c.updatedAt)}</span>
                </div>
                <Value value={c.meta} />
                {c.webhookUrl && (
                  <p className="small">
                    Webhook URL: <code>{c.webhookUrl}</code>
                  </p>
                )}
                <div className="buttons">
                  <button type="button" className="btn" disabled={!canAdmin || r === 'testing'} onClick={() => test(c.kind)}>
                    {r === 'testing' ? 'Testing…' : `Test ${label(c.kind)} connection`}
                  </button>
                </div>
                {r && r !== 'testing' && <Notice kind={r.ok ? 'ok' : 'error'}>{r.text}</Notice>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
