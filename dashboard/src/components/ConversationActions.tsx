import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { Notice } from './StateViews';

type Open = 'none' | 'escalate' | 'resolve';

/** Hand a conversation to a human (with a reason) or close it (with a summary and optional CSAT). */
export function ConversationActions({ id, status, onChanged }: { id: string; status: string; onChanged: () => void }) {
  const [open, setOpen] = useState<Open>('none');
  const [text, setText] = useState('');
  const [csat, setCsat] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();

  const show = (which: Open) => {
    setOpen(which);
    setText('');
    setCsat('');
    setNotice(undefined);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    try {
      if (open === 'escalate') await api.escalate(id, text.trim());
      else await api.resolve(id, { resolution_summary: text.trim(), ...(csat ? { csat_score: Number(csat) } : {}) });
      setNotice({ kind: 'ok', text: open === 'escalate' ? 'Escalated to a human.' : 'Marked as resolved.' });
      setOpen('none');
      onChanged();
    } catch (err) {
      setNotice({ kind: 'error', text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="conv-actions">
      <div className="buttons">
        {status !== 'escalated' && (
          <button type="button" className="btn" aria-expanded={open === 'escalate'} onClick={() => show(open === 'escalate' ? 'none' : 'escalate')}>
            Escalate to a human
          </button>
        )}
        {status !== 'resolved' && (
          <button type="button" className="btn" aria-expanded={open === 'resolve'} onClick={() => show(open === 'resolve' ? 'none' : 'resolve')}>
            Mark resolved
          </button>
        )}
      </div>
      {open !== 'none' && (
        <form className="card inline-form" onSubmit={submit}>
          <label htmlFor="conv-action-text">{open === 'escalate' ? 'Why a human should take over' : 'Resolution summary'}</label>
          <textarea id="conv-action-text" rows={3} value={text} onChange={(e) => setText(e.target.value)} autoFocus required />
          {open === 'resolve' && (
            <div className="field">
              <label htmlFor="conv-csat">Customer satisfaction (optional)</label>
              <select id="conv-csat" value={csat} onChange={(e) => setCsat(e.target.value)}>
                <option value="">Not rated</option>
                {[5, 4, 3, 2, 1].map((n) => (
                  <option key={n} value={n}>
                    {n} / 5
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="buttons">
            <button type="submit" className="btn btn-primary" disabled={busy || !text.trim()}>
              {open === 'escalate' ? 'Escalate' : 'Resolve'}
            </button>
            <button type="button" className="btn btn-quiet" onClick={() => show('none')}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
    </div>
  );
}
