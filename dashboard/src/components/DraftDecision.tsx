import { useId, useState } from 'react';
import { api } from '../api';
import { approvalsChanged } from '../events';
import { waitForDelivery } from './delivery';
import { Notice } from './StateViews';

type Phase =
  | { kind: 'idle' }
  | { kind: 'editing' }
  | { kind: 'working'; what: string }
  | { kind: 'done'; text: string }
  | { kind: 'error'; text: string };

/** Approve, edit and send, or reject one drafted reply; after approval, follows it until delivered. */
export function DraftDecision({
  messageId,
  conversationId,
  content,
  onDone,
}: {
  messageId: string;
  conversationId: string;
  content: string;
  onDone?: (result: 'sent' | 'rejected') => void;
}) {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [text, setText] = useState(content);
  const editId = useId();

  const approve = async (edited?: string) => {
    setPhase({ kind: 'working', what: 'Approving…' });
    try {
      await api.approveMessage(messageId, edited);
      approvalsChanged();
      setPhase({ kind: 'working', what: 'Approved; sending to the customer…' });
      const r = await waitForDelivery(conversationId, messageId);
      if (r.status === 'sent') {
        setPhase({ kind: 'done', text: 'Delivered to the customer.' });
        onDone?.('sent');
      } else if (r.status === 'failed') setPhase({ kind: 'error', text: `Approved, but delivery failed: ${r.detail}.` });
      else setPhase({ kind: 'done', text: 'Approved; still sending. The conversation shows when it is delivered.' });
    } catch (err) {
      setPhase({ kind: 'error', text: (err as Error).message });
    }
  };
  const reject = async () => {
    setPhase({ kind: 'working', what: 'Rejecting…' });
    try {
      await api.rejectMessage(messageId);
      approvalsChanged();
      setPhase({ kind: 'done', text: 'Rejected: nothing was sent.' });
      onDone?.('rejected');
    } catch (err) {
      setPhase({ kind: 'error', text: (err as Error).message });
    }
  };

  if (phase.kind === 'done') return <Notice kind="ok">{phase.text}</Notice>;
  if (phase.kind === 'working') return <Notice kind="ok">{phase.what}</Notice>;
  return (
    <div className="decision">
      {phase.kind === 'error' && <Notice kind="error">{phase.text}</Notice>}
      {phase.kind === 'editing' ? (
        <div className="edit">
          <label htmlFor={editId}>Reply to send</label>
          <textarea id={editId} rows={6} value={text} onChange={(e) => setText(e.target.value)} autoFocus />
          <div className="buttons">
            <button type="button" className="btn btn-primary" disabled={!text.trim()} onClick={() => approve(text.trim())}>
              Send edited reply
            </button>
            <button type="button" className="btn btn-quiet" onClick={() => setPhase({ kind: 'idle' })}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="buttons">
          <button type="button" className="btn btn-primary" onClick={() => approve()}>
            Approve and send
          </button>
          <button type="button" className="btn" onClick={() => setPhase({ kind: 'editing' })}>
            Edit and send
          </button>
          <button type="button" className="btn btn-danger" onClick={reject}>
            Reject
          </button>
        </div>
      )}
    </div>
  );
}
