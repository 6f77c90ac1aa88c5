import { summarizeOrder } from '../pipeline/nodes/gather-context.js';
import type { State } from '../pipeline/state.js';

const pct = (n: number) => `${Math.round(n * 100)}%`;

/** Facts and sources behind a decision, as lines an agent reads in the internal note. */
function evidence(state: State): string[] {
  const u = state.understanding!;
  const ctx = state.context!;
  const d = state.decision!;
  const lines = [
    `Intent: ${u.intent}${u.subIntents.length ? ` (+ ${u.subIntents.join(', ')})` : ''} · confidence ${pct(u.confidence)} · sentiment ${u.sentiment} (${u.sentimentIntensity}/5) · language ${u.language}`,
  ];
  const order = ctx.orders.order;
  if (order) {
    const o = summarizeOrder(order);
    lines.push(
      `Order ${o.orderNumber}: ${o.state}, ${o.total} ${o.currency}${o.trackingNumbers.length ? `, tracking ${o.trackingNumbers.join(', ')}` : ''}; items: ${o.items.join(', ')}; requester ${d.ownership === 'verified' ? 'verified as the order’s owner' : d.ownership}${ctx.orders.stale ? ' (from cache: store platform unavailable)' : ''}`,
    );
  } else if (ctx.orders.candidates.length) {
    lines.push(`Requester's recent orders: ${ctx.orders.candidates.map((o) => `${o.orderNumber} (${o.state})`).join(', ')}`);
  }
  if (d.action) {
    const v = d.verdict;
    lines.push(
      `Action: ${d.action.type} on ${d.action.orderNumber}${d.action.amount !== undefined ? ` (${d.action.amount})` : ''} → ${v?.status}${v && 'reason' in v ? `: ${v.reason}` : ''}`,
    );
  }
  if (ctx.passages.length) {
    lines.push('Policy passages used:');
    for (const p of ctx.passages) lines.push(`  • ${p.documentTitle} › ${p.heading ?? '(top)'} [${p.chunkId.slice(0, 8)}]`);
  }
  for (const n of d.notes) lines.push(`Note: ${n}`);
  return lines;
}

/** The internal note for a draft: the proposed reply, then why. */
export function draftNote(state: State, reason: string): string {
  return [
    '🤖 Suggested reply (not sent):',
    '',
    state.reply!.text,
    '',
    '---',
    `Why a draft: ${reason}`,
    ...evidence(state),
  ].join('\n');
}

/** The private summary for the human who takes over an escalated ticket. */
export function escalationNote(state: State): string {
  const e = state.decision!.escalation!;
  return [
    `🤖 Escalated to a human: ${e.reason.replace(/_/g, ' ')} (priority ${e.priority})`,
    e.detail,
    '',
    ...evidence(state),
  ].join('\n');
}

/** Tags written back to the helpdesk so teams can build views. */
export function tagsFor(state: State, outcome: string, prefix = ''): string[] {
  const u = state.understanding;
  const bot = outcome === 'auto' ? 'replied' : outcome === 'escalated' ? 'escalated' : outcome === 'awaiting_approval' ? 'approval' : 'drafted';
  return [...(u ? [`intent:${u.intent}`, `sentiment:${u.sentiment}`] : []), `bot:${bot}`].map((t) => `${prefix}${t}`);
}
