import { useState } from 'react';
import { api } from '../../api';
import { dateTime } from '../../format';
import type { KnowledgeDocument } from '../../types';
import { Notice } from '../StateViews';

/** FAQ entries learned from resolved tickets: they are used only once a person approves them. */
export function Candidates({ storeId, docs, reload }: { storeId: string; docs: KnowledgeDocument[]; reload: () => void }) {
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  if (docs.length === 0) return null;
  const decide = async (doc: KnowledgeDocument, approve: boolean) => {
    try {
      await (approve ? api.approveCandidate(storeId, doc.id) : api.rejectCandidate(storeId, doc.id));
      setNotice({ kind: 'ok', text: `${approve ? 'Approved' : 'Rejected'} “${doc.title}”.` });
      reload();
    } catch (err) {
      setNotice({ kind: 'error', text: (err as Error).message });
    }
  };
  return (
    <section className="card" aria-labelledby="kb-candidates-title">
      <h2 id="kb-candidates-title">Learned answers to review ({docs.length})</h2>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      <ul className="cards">
        {docs.map((d) => (
          <li key={d.id} className="card">
            <div className="card-head">
              <strong>{d.title}</strong>
              <span className="muted small">{dateTime(d.createdAt)}</span>
            </div>
            <div className="buttons">
              <button type="button" className="btn btn-primary" onClick={() => decide(d, true)}>
                Approve “{d.title}”
              </button>
              <button type="button" className="btn btn-danger" onClick={() => decide(d, false)}>
                Reject
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
