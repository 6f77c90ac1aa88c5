import { label } from '../format';

/**
 * Renders a node's output (any JSON) as nested definition lists: readable for people, complete
 * for debugging. Deep or long structures fall back to formatted JSON.
 */
export function Value({ value, depth = 0 }: { value: unknown; depth?: number }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  if (typeof value === 'boolean') return <span className={value ? 'yes' : 'no'}>{value ? 'yes' : 'no'}</span>;
  if (typeof value === 'number') return <span className="num">{Number.isInteger(value) ? value : value.toFixed(3)}</span>;
  if (typeof value === 'string') return <span className="str">{value === '' ? '""' : value}</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">none</span>;
    if (value.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) {
      return <span>{value.map(String).join(', ')}</span>;
    }
    if (depth >= 2) return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
    return (
      <ol className="value-list">
        {value.map((v, i) => (
          <li key={i}>
            <Value value={v} depth={depth + 1} />
          </li>
        ))}
      </ol>
    );
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return <span className="muted">none</span>;
    if (depth >= 3) return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
    return (
      <dl className="kv">
        {entries.map(([k, v]) => (
          <div key={k} className="kv-row">
            <dt>{label(k)}</dt>
            <dd>
              <Value value={v} depth={depth + 1} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <span>{String(value)}</span>;
}
