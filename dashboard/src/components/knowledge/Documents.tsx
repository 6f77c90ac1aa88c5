import { useState } from 'react';
import { api } from '../../api';
import { dateTime, label } from '../../format';
import type { KnowledgeDocument } from '../../types';
import { Badge } from '../Badge';
import { EmptyState, ErrorState, Loading, Notice } from '../StateViews';

/** The store's documents, with a two-step delete (a second press confirms). */
export function Documents({
  storeId,
  docs,
  error,
  loading,
  reload,
  canWrite,
}: {
  storeId: string;
  docs: KnowledgeDocument[] | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
  canWrite: boolean;
}) {
  const [confirming, setConfirming] = useState<string>();
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();

  const remove = async (doc: KnowledgeDocument) => {
    if (confirming !== doc.id) {
      setConfirming(doc.id);
      return;
    }
    setConfirming(undefined);
    try {
      await api.deleteKnowledge(storeId, doc.id);
      setNotice({ kind: 'ok', text: `Deleted “${doc.title}”.` });
      reload();
    } catch (err) {
      setNotice({ kind: 'error', text: (err as Error).message });
    }
  };

  return (
    <section className="card" aria-labelledby="kb-docs-title">
      <h2 id="kb-docs-title">Documents</h2>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      {loading && !docs ? (
        <Loading what="Loading documents" />
      ) : error || !docs ? (
        <ErrorState error={error ?? new Error('no data')} retry={reload} title="Could not load documents" />
      ) : docs.length === 0 ? (
        <EmptyState title="No documents yet.">Import your return, shipping and refund policies below so replies can cite them.</EmptyState>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Source</th>
              <th scope="col">Category</th>
              <th scope="col">Status</th>
              <th scope="col">Passages</th>
              <th scope="col">Updated</th>
              {canWrite && (
                <th scope="col">
                  <span className="sr-only">Delete</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {docs.map((d) => (
              <tr key={d.id}>
                <td>{d.title}</td>
                <td>{label(d.source)}</td>
                <td>{d.category ?? '—'}</td>
                <td>
                  <Badge value={d.status} />
                </td>
                <td>{d.chunks}</td>
                <td className="nowrap">{dateTime(d.updatedAt)}</td>
                {canWrite && (
                  <td>
                    <button
                      type="button"
                      className={`btn btn-small ${confirming === d.id ? 'btn-danger' : 'btn-quiet'}`}
                      onClick={() => remove(d)}
                      onBlur={() => confirming === d.id && setConfirming(undefined)}
                      aria-label={confirming === d.id ? `Confirm: delete ${d.title}` : `Delete ${d.title}`}
                    >
                      {confirming === d.id ? 'Confirm delete' : 'Delete'}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
