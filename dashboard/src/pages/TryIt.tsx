import { useRef, useState, type FormEvent } from 'react';
import { api } from '../api';
import { approvalsChanged } from '../events';
import { ErrorState, Notice } from '../components/StateViews';
import { TraceView } from '../components/TraceView';
import { TryTurn } from '../components/TryTurn';
import { DEMO_EXAMPLES } from '../components/tryit-examples';
import { Link } from '../router';
import { useSession } from '../session';
import type { ConversationDetail, TurnResult } from '../types';

type Turn = { text: string; result: TurnResult };

/** Write as a customer; the real pipeline answers, and its trace is shown next to the reply. */
export function TryItPage() {
  const { me, canWrite } = useSession();
  const [email, setEmail] = useState('');
  const [text, setText] = useState('');
  const [turns, setTurns] = useState<Turn[]>([]);
  const [conversation, setConversation] = useState<ConversationDetail>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const messageField = useRef<HTMLTextAreaElement>(null);
  const conversationId = turns[0]?.result.conversation_id;
  const demo = me.store?.slug === 'demo' || me.store?.platform === 'demo';

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const message = text.trim();
    if (!message) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = conversationId
        ? await api.sendMessage(conversationId, message)
        : await api.startConversation({ channel: 'widget', customer_email: email.trim(), initial_message: message });
      setTurns((t) => [...t, { text: message, result }]);
      if (result.pending_approval) approvalsChanged();
      setText('');
      setConversation(await api.conversation(result.conversation_id));
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const refresh = () => {
    if (conversationId) api.conversation(conversationId).then(setConversation, setError);
  };
  const reset = () => {
    setTurns([]);
    setConversation(undefined);
    setError(undefined);
  };
  const latest = turns.at(-1)?.result;
  const trace = conversation?.traces.find((t) => t.id === latest?.trace_id) ?? conversation?.traces.at(-1);

  return (
    <section>
      <h1 tabIndex={-1}>Try it</h1>
      <p className="muted">
        Write as a customer of {me.store?.name ?? 'your store'}. The bot answers with the store's real settings, orders and
        policy; a conversation is recorded like any other (channel: widget).
      </p>
      {!canWrite && <Notice kind="error">This key can read only: trying the bot needs write permission.</Notice>}
      <div className="split">
        <section className="panel" aria-labelledby="try-chat-title">
          <h2 id="try-chat-title">Conversation</h2>
          {demo && turns.length === 0 && (
            <div className="examples">
              <p className="small">Demo store customers to start from:</p>
              <ul>
                {DEMO_EXAMPLES.map((x) => (
                  <li key={x.title}>
                    <button type="button" className="btn btn-small btn-quiet" onClick={() => {
                        setEmail(x.email);
                        setText(x.message);
                        messageField.current?.focus();
                      }}>
                      {x.title}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {turns.length > 0 && (
            <ol className="messages chat" aria-live="polite">
              {turns.map((t, i) => (
                <TryTurn
                  key={i}
                  text={t.text}
                  result={t.result}
                  reply={conversation?.messages.find((m) => m.id === t.result.reply_message_id)}
                  canWrite={canWrite}
                  onDecided={refresh}
                />
              ))}
            </ol>
          )}
          <form onSubmit={send} className="try-form">
            <div className="field">
              <label htmlFor="try-email">Customer email</label>
              <input
                id="try-email"
                type="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                disabled={!!conversationId}
                placeholder="customer@example.com"
                autoComplete="off"
              />
            </div>
            <div className="field">
              <label htmlFor="try-message">Message</label>
              <textarea id="try-message" ref={messageField} rows={3} value={text} onChange={(e) => setText(e.target.value)} />
            </div>
            {error && <ErrorState error={error} title="The bot could not answer" />}
            <div className="buttons">
              <button type="submit" className="btn btn-primary" disabled={busy || !canWrite || !text.trim()}>
                {busy ? 'Waiting for the bot…' : 'Send as customer'}
              </button>
              {conversationId && (
                <>
                  <button type="button" className="btn btn-quiet" onClick={reset}>
                    Start a new conversation
                  </button>
                  <Link to={`/conversations/${conversationId}`}>Open in conversations</Link>
                </>
              )}
            </div>
          </form>
        </section>
        <section className="panel" aria-labelledby="try-trace-title">
          <h2 id="try-trace-title">Decision trace</h2>
          {trace && conversation ? (
            <TraceView trace={trace} actions={conversation.actions} />
          ) : (
            <p className="muted">Send a message: what the bot understood, looked up and decided appears here.</p>
          )}
        </section>
      </div>
    </section>
  );
}
