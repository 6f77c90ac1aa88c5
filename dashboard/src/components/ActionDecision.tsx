import { useState } from 'react';
import { api } from '../api';
import { approvalsChanged } from '../events';
import { Notice } from './StateViews';

/** Approve or reject one store action (refund, cancel…) that waits for a human. */
export function ActionDecision({ actionId, what }: { actionId: string; what: string }) {
  const [phase, setPhase] = useState<'idle' | 'working' | 'approved' | 'rejected'>('idle');
  const [error, setError] = useState<string>();

  const decide = async (approve: boolean) => {
    setPhase('working');
    setError(undefined);
    try {
      if (approve) await api.approveAction(actionId);
      else await api.rejectAction(actionId);
      approvalsChanged();
      setPhase(approve ? 'approved' : 'rejected');
    } catch (err) {
      setError((err as Error).message);
      setPhase('idle');
    }
  };

  if (phase === 'approved') return <Notice kind="ok">Approved: the {what} runs now and the customer is told.</Notice>;
  if (phase === 'rejected') return <Notice kind="ok">Rejected: the {what} will not run.</Notice>;
  return (
    <div className="decision">
      {error && <Notice kind="error">{error}</Notice>}
      <div className="buttons">
        <button type="button" className="btn btn-primary" disabled={phase === 'working'} onClick={() => decide(true)}>
          Approve {what}
        </button>
        <button type="button" className="btn btn-danger" disabled={phase === 'working'} onClick={() => decide(false)}>
          Reject
        </button>
      </div>
    </div>
  );
}
