import { label } from '../format';

/** Tones by meaning, so the same word looks the same on every page. */
const TONES: Record<string, string> = {
  auto: 'good',
  sent: 'good',
  resolved: 'good',
  completed: 'good',
  positive: 'good',
  approved: 'good',
  draft: 'info',
  queued: 'info',
  active: 'info',
  pending_approval: 'warn',
  awaiting_approval: 'warn',
  proposed: 'warn',
  neutral: 'muted',
  off: 'muted',
  skipped: 'muted',
  closed: 'muted',
  abandoned: 'muted',
  escalated: 'bad',
  failed: 'bad',
  rejected: 'bad',
  negative: 'bad',
  frustrated: 'bad',
  urgent: 'bad',
  high: 'warn',
};

export function Badge({ value, title }: { value: string | null | undefined; title?: string }) {
  if (!value) return <span className="muted">—</span>;
  return (
    <span className={`badge badge-${TONES[value] ?? 'muted'}`} title={title}>
      {label(value)}
    </span>
  );
}
