import { useState } from 'react';
import { confidence, dateTime, label } from '../format';
import type { Message } from '../types';
import { Badge } from './Badge';
import { DraftDecision } from './DraftDecision';

const ROLE: Record<string, string> = { user: 'Customer', assistant: 'Bot', agent: 'Agent', system: 'System' };

/** The thread, oldest first; drafts waiting for approval can be decided right here. */
export function Messages({
  messages,
  conversationId,
  selectedTraceMessage,
  tracedMessages,
  onSelectTrace,
  onDecided,
  canWrite,
}: {
  messages: Message[];
  conversationId: string;
  selectedTraceMessage: string | null;
  tracedMessages: Set<string>;
  onSelectTrace: (messageId: string) => void;
  onDecided: () => void;
  canWrite: boolean;
}) {
  // A decided draft keeps its result line after the thread reloads with the new status.
  const [decided, setDecided] = useState<ReadonlySet<string>>(new Set());
  if (messages.length === 0) return <p className="muted">No messages in this conversation.</p>;
  return (
    <ol className="messages">
      {messages.map((m) => (
        <li key={m.id} className={`message message-${m.role}`}>
          <div className="message-head">
            <strong>{ROLE[m.role] ?? label(m.role)}</strong>
            {m.role === 'assistant' && m.delivery && <Badge value={m.delivery === 'public' ? 'sent' : m.delivery} title="delivery" />}
            {m.status !== 'sent' && <Badge value={m.status} title="status" />}
            <span className="muted small">{dateTime(m.created_at)}</span>
          </div>
          <p className="message-body">{m.content}</p>
          {m.role === 'user' && m.intent && (
            <p className="muted small">
              {label(m.intent)} · confidence {confidence(m.confidence)} · {label(m.sentiment)}
              {m.language && <> · {m.language}</>}
            </p>
          )}
          {tracedMessages.has(m.id) && (
            <button
              type="button"
              className="btn btn-small btn-quiet"
              aria-pressed={selectedTraceMessage === m.id}
              onClick={() => onSelectTrace(m.id)}
            >
              {selectedTraceMessage === m.id ? 'Trace shown' : 'Show trace'}
            </button>
          )}
          {canWrite && m.role === 'assistant' && (m.status === 'pending_approval' || decided.has(m.id)) && (
            <DraftDecision
              messageId={m.id}
              conversationId={conversationId}
              content={m.content}
              onDone={() => {
                setDecided((d) => new Set(d).add(m.id));
                onDecided();
              }}
            />
          )}
        </li>
      ))}
    </ol>
  );
}
