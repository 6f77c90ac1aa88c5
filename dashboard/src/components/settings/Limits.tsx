import { NumberField, type Draft, type SetDraft } from './Section';

/** Thresholds and money/rate caps: the numbers that bound what the bot may do alone. */
export function LimitsFields({ draft, set }: { draft: Draft; set: SetDraft }) {
  const num = (key: keyof Draft) => (n: number) => set((d) => ({ ...d, [key]: n }));
  return (
    <div className="grid-2">
      <NumberField
        id="confidence_threshold"
        text="Confidence threshold for automatic replies"
        help="Between 0 and 1. Below it, an intent in auto mode is drafted instead."
        value={draft.confidence_threshold}
        onChange={num('confidence_threshold')}
        min={0}
        max={1}
        step={0.01}
      />
      <NumberField
        id="escalation_threshold"
        text="Escalation threshold"
        help="Between 0 and 1. Below it, the conversation goes to a human."
        value={draft.escalation_threshold}
        onChange={num('escalation_threshold')}
        min={0}
        max={1}
        step={0.01}
      />
      <NumberField
        id="auto_refund_limit"
        text="Automatic refund limit"
        help="Refunds up to this amount run without approval."
        prefix="$"
        value={draft.auto_refund_limit}
        onChange={num('auto_refund_limit')}
        min={0}
        step={0.01}
      />
      <NumberField
        id="high_value_threshold"
        text="High-value order threshold"
        help="Problems with orders above this total go to a human."
        prefix="$"
        value={draft.high_value_threshold}
        onChange={num('high_value_threshold')}
        min={0}
        step={0.01}
      />
      <NumberField
        id="max_actions_per_customer_per_day"
        text="Automatic actions per customer per day"
        help="More than this wait for approval."
        value={draft.max_actions_per_customer_per_day}
        onChange={num('max_actions_per_customer_per_day')}
        min={0}
        max={100}
        step={1}
      />
      <NumberField
        id="max_auto_replies_per_thread_per_day"
        text="Automatic replies per thread per day"
        help="Stops reply loops with auto-responders."
        value={draft.max_auto_replies_per_thread_per_day}
        onChange={num('max_auto_replies_per_thread_per_day')}
        min={0}
        max={100}
        step={1}
      />
      <NumberField
        id="reply_delay_s"
        text="Wait before answering (seconds)"
        help="Zendesk and Gorgias: messages a customer sends in a row within this time get one reply."
        value={draft.reply_delay_s}
        onChange={num('reply_delay_s')}
        min={0}
        max={600}
        step={1}
      />
    </div>
  );
}
