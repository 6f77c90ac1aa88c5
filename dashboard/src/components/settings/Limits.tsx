import type { Settings } from '../../types';
import { NumberField, type Draft, type SetDraft } from './Section';

type NumericSetting = {
  [K in keyof Settings]: Settings[K] extends number ? K : never;
}[keyof Settings];

type LimitField = { key: NumericSetting; text: string; help: string; min: number; max?: number; step: number; prefix?: string };

/** Thresholds, money and rate caps, and the reply delay: the numbers that bound what the bot does alone. */
const FIELDS: LimitField[] = [
  {
    key: 'confidence_threshold',
    text: 'Confidence threshold for automatic replies',
    help: 'Between 0 and 1. Below it, an intent in auto mode is drafted instead.',
    min: 0,
    max: 1,
    step: 0.01,
  },
  {
    key: 'escalation_threshold',
    text: 'Escalation threshold',
    help: 'Between 0 and 1. Below it, the conversation goes to a human.',
    min: 0,
    max: 1,
    step: 0.01,
  },
  { key: 'auto_refund_limit', text: 'Automatic refund limit', help: 'Refunds up to this amount run without approval.', prefix: '$', min: 0, step: 0.01 },
  {
    key: 'high_value_threshold',
    text: 'High-value order threshold',
    help: 'Problems with orders above this total go to a human.',
    prefix: '$',
    min: 0,
    step: 0.01,
  },
  {
    key: 'max_actions_per_customer_per_day',
    text: 'Automatic actions per customer per day',
    help: 'More than this wait for approval.',
    min: 0,
    max: 100,
    step: 1,
  },
  {
    key: 'max_auto_replies_per_thread_per_day',
    text: 'Automatic replies per thread per day',
    help: 'Stops reply loops with auto-responders.',
    min: 0,
    max: 100,
    step: 1,
  },
  {
    key: 'reply_delay_s',
    text: 'Wait before answering (seconds)',
    help: 'Zendesk, Gorgias and email: messages a customer sends in a row within this time get one reply.',
    min: 0,
    max: 600,
    step: 1,
  },
];

/** The settings this section saves. */
export const LIMIT_KEYS = FIELDS.map((f) => f.key);

export function LimitsFields({ draft, set }: { draft: Draft; set: SetDraft }) {
  return (
    <div className="grid-2">
      {FIELDS.map(({ key, ...field }) => (
        <NumberField key={key} id={key} {...field} value={draft[key]} onChange={(n: number) => set((d) => ({ ...d, [key]: n }))} />
      ))}
    </div>
  );
}
