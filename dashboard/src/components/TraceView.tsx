import type { ReactNode } from 'react';
import { confidence, dateTime, label, ms, usd } from '../format';
import type { Action, Trace } from '../types';
import { Badge } from './Badge';
import { nodeSummary } from './nodeSummary';
import { Value } from './Value';

// The reasoning nodes start open (intent, order facts, verdict); the rest say enough in one line.
const OPEN_NODES = new Set(['understand', 'gatherContext', 'decide']);

/** One turn's decision trace: the summary, then every node in order, the policy passages and actions. */
export function TraceView({ trace, actions }: { trace: Trace; actions: Action[] }) {
  // Actions link to the reply that announces them when the API says so; else list the conversation's.
  const linked = actions.some((a) => a.message_id !== undefined);
  const turnActions = linked ? actions.filter((a) => a.message_id && a.message_id === trace.message_id) : actions;
  return (
    <article className="trace" aria-label="Decision trace">
      <dl className="trace-summary">
        <Fact name="Outcome">
          <Badge value={trace.outcome} />
        </Fact>
        <Fact name="Intent">{label(trace.intent)}</Fact>
        <Fact name="Confidence">{confidence(trace.confidence)}</Fact>
        <Fact name="Engine">{trace.engine}</Fact>
        <Fact name="Tokens">{trace.total_tokens}</Fact>
        <Fact name="Cost">{usd(trace.cost_usd)}</Fact>
        <Fact name="Latency">{ms(trace.latency_ms)}</Fact>
        <Fact name="At">{dateTime(trace.created_at)}</Fact>
      </dl>

      <h3>Nodes</h3>
      {trace.nodes.length === 0 ? (
        <p className="muted">This trace has no node records.</p>
      ) : (
        <ol className="nodes">
          {trace.nodes.map((n, i) => (
            <li key={`${n.node}-${i}`} className="node">
              <div className="node-head">
                <span className="node-name">{n.node}</span>
                <span className="node-meta">
                  {n.model && <span>model {n.model}</span>}
                  {n.tokens !== undefined && <span>{n.tokens} tokens</span>}
                  {n.costUsd !== undefined && <span>{usd(n.costUsd)}</span>}
                  <span>{ms(n.latencyMs)}</span>
                </span>
              </div>
              {nodeSummary(n) && <p className="node-summary">{nodeSummary(n)}</p>}
              {n.note && <p className="node-note">{n.note}</p>}
              <details open={OPEN_NODES.has(n.node)}>
                <summary>Output of {n.node}</summary>
                <div className="node-output">
                  <Value value={n.output} />
                </div>
              </details>
            </li>
          ))}
        </ol>
      )}

      <h3>Policy passages</h3>
      {trace.citations.length === 0 ? (
        <p className="muted">No policy passage was used for this turn.</p>
      ) : (
        <ul className="citations">
          {trace.citations.map((c, i) => (
            <li key={c.chunkId ?? i}>
              <p className="citation-source">
                {c.documentTitle ?? 'Document'}
                {c.heading && <> › {c.heading}</>}
              </p>
              {c.excerpt && <blockquote>{c.excerpt}</blockquote>}
            </li>
          ))}
        </ul>
      )}

      {turnActions.length > 0 && (
        <>
          <h3>{linked ? 'Actions' : 'Actions in this conversation'}</h3>
          <ul className="actions-list">
            {turnActions.map((a) => (
              <li key={a.id}>
                <strong>{label(a.action_type)}</strong> {a.order_number && <>on {a.order_number}</>} <Badge value={a.status} />
                {a.error_message && <span className="muted"> — {a.error_message}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

function Fact({ name, children }: { name: string; children: ReactNode }) {
  return (
    <div>
      <dt>{name}</dt>
      <dd>{children}</dd>
    </div>
  );
}
