import type { ReactNode } from 'react';

/**
 * A chart with its title, and the same numbers as a table for keyboard and screen-reader users
 * (charts are pictures; the table is the accessible version).
 */
export function ChartFrame({
  title,
  children,
  columns,
  rows,
  empty,
}: {
  title: string;
  children: ReactNode;
  columns: string[];
  rows: (string | number)[][];
  empty?: string;
}) {
  return (
    <figure className="card chart">
      <figcaption>
        <h2>{title}</h2>
      </figcaption>
      {rows.length === 0 ? (
        <p className="state state-empty chart-empty">{empty ?? 'No data for this period.'}</p>
      ) : (
        <>
          <div className="chart-area" aria-hidden="true">
            {children}
          </div>
          <details className="chart-data">
            <summary>Show the data as a table</summary>
            <table className="table">
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th scope="col" key={c}>
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i}>
                    {r.map((v, j) => (
                      <td key={j}>{v}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </figure>
  );
}

/** Legend entries in the text colour (series colours alone are too light to read as text). */
export const legendText = (value: string) => <span style={{ color: '#1d2330' }}>{value}</span>;

/** Colour-blind-safe palette (Okabe–Ito), in a fixed order per series. */
export const COLORS = {
  conversations: '#0072B2',
  automated: '#009E73',
  escalated: '#D55E00',
  completed: '#009E73',
  approved: '#56B4E9',
  proposed: '#CC79A7',
  failed: '#D55E00',
  awaiting_approval: '#E69F00',
  rejected: '#999999',
  accent: '#CC79A7',
  sky: '#56B4E9',
};
