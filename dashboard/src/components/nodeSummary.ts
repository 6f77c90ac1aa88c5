import { confidence, label } from '../format';
import type { TraceNode } from '../types';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/**
 * One line per pipeline node saying what it concluded, so the trace reads top to bottom without
 * opening anything; the full output stays below it.
 */
export function nodeSummary(n: TraceNode): string | null {
  const o = obj(n.output);
  switch (n.node) {
    case 'understand': {
      const parts = [label(str(o.intent))];
      if (typeof o.confidence === 'number') parts.push(`confidence ${confidence(o.confidence)}`);
      if (str(o.sentiment)) parts.push(`${o.sentiment} sentiment`);
      if (str(o.language)) parts.push(`language ${o.language}`);
      return parts.join(' · ');
    }
    case 'gatherContext': {
      const order = obj(o.order);
      const passages = Array.isArray(o.passages) ? o.passages.length : 0;
      const parts = [str(order.orderNumber) ? `order ${order.orderNumber} (${label(str(order.state)).toLowerCase()})` : 'no order found'];
      parts.push(`${passages} policy passage${passages === 1 ? '' : 's'}`);
      if (str(o.lookupError)) parts.push(`lookup error: ${o.lookupError}`);
      return parts.join(' · ');
    }
    case 'decide': {
      const parts: string[] = [];
      if (str(o.plan)) parts.push(label(str(o.plan)));
      const action = obj(o.action);
      if (str(action.type)) parts.push(`${label(str(action.type)).toLowerCase()}: ${str(obj(o.verdict).status) ?? 'no verdict'}`);
      if (str(o.ownership)) parts.push(`ownership ${o.ownership}`);
      const esc = obj(o.escalation);
      if (str(esc.reason)) parts.push(`escalate: ${esc.reason}`);
      return parts.join(' · ') || null;
    }
    case 'respond':
      return str(o.author) ? `written by ${o.author}` : null;
    case 'check':
      return o.ok === true ? 'grounded: every fact is in the context' : `not grounded: ${JSON.stringify(o.problems ?? o)}`;
    default:
      if (str(o.outcome)) return `${label(str(o.outcome))}${str(o.reason) ? `: ${o.reason}` : ''}`;
      return null;
  }
}
