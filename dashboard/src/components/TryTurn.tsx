import { confidence, label } from '../format';
import type { Message, TurnResult } from '../types';
import { Badge } from './Badge';
import { DraftDecision } from './DraftDecision';

const OUTCOME_TEXT: Record<string, string> = {
  draft: 'Drafted, not sent: this intent is in draft mode, or the bot was not confident enough.',
  awaiting_approval: 'An action needs approval first: the reply waits with it in Approvals.',
  escalated: 'Escalated to a human.',
  off: 'Not answered: the mode for this intent is off.',
};

/** One exchange in the "try it" console: what the customer wrote and what the bot did with it. */
export function TryTurn({
  text,
  result,
  reply,
  canWrite,
  onDecided,
}: {
  text: string;
  result: TurnResult;
  /** The bot's message as stored (a draft's text is not in the turn result). */
  reply: Message | undefined;
  canWrite: boolean;
  onDecided: () => void;
}) {
  const draft = !result.response && reply?.status === 'pending_approval' ? reply : undefined;
  return (
    <li className="chat-turn">
      <div className="message message-user">
        <div className="message-head">
          <strong>You</strong>
        </div>
        <p className="message-body">{text}</p>
      </div>
      <div className="message message-assistant" data-outcome={result.outcome}>
        <div className="message-head">
          <strong>Bot</strong> <Badge value={result.outcome} />
          <span className="muted small">
            {label(result.intent)} · confidence {confidence(result.confidence)}
          </span>
        </div>
        {result.response ? (
          <p className="message-body bot-reply">{result.response}</p>
        ) : (
          <p className="message-body muted not-sent">Nothing was sent to the customer yet.</p>
        )}
        {OUTCOME_TEXT[result.outcome] && <p className="small outcome-text">{OUTCOME_TEXT[result.outcome]}</p>}
        {draft && (
          <>
            <p className="small">The draft:</p>
            <blockquote className="draft-text">{draft.content}</blockquote>
            {canWrite && <DraftDecision messageId={draft.id} conversationId={result.conversation_id} content={draft.content} onDone={onDecided} />}
          </>
        )}
        {reply && reply.status === 'sent' && !result.response && <p className="small">Approved and sent: “{reply.content}”</p>}
        {(result.actions_taken ?? []).map((a) => (
          <p key={a.id} className="small">
            Action: {label(a.type)} {a.order_number} <Badge value={a.status} />
          </p>
        ))}
      </div>
    </li>
  );
}
