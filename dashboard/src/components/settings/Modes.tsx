import { label } from '../../format';
import { INTENTS, MODES, type Mode, type Settings } from '../../types';
import type { Draft, SetDraft } from './Section';

const MODE_HELP: Record<Mode, string> = {
  off: 'the bot stays silent',
  draft: 'the bot writes a draft for a person to approve',
  auto: 'the bot replies (and acts) on its own when confident enough',
};

/** The autonomy dial: one mode per intent, falling back to the store default. */
export function ModesFields({ draft, set, threshold }: { draft: Draft; set: SetDraft; threshold: number }) {
  const modes = (draft.modes ?? { default: 'draft' }) as Settings['modes'];
  const setMode = (intent: string, value: string) =>
    set((d) => ({ ...d, modes: { ...modes, [intent]: value === '' ? null : (value as Mode) } as Settings['modes'] }));
  return (
    <>
      <ul className="mode-legend small">
        {MODES.map((m) => (
          <li key={m}>
            <strong>{label(m)}</strong>: {MODE_HELP[m]}
            {m === 'auto' && ` (confidence ≥ ${threshold.toFixed(2)}, else a draft)`}
          </li>
        ))}
      </ul>
      <table className="table modes">
        <caption className="sr-only">Mode per intent</caption>
        <thead>
          <tr>
            <th scope="col">Intent</th>
            <th scope="col">Mode</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">
              <label htmlFor="mode-default">Default (any intent without its own mode)</label>
            </th>
            <td>
              <select id="mode-default" value={modes.default} onChange={(e) => setMode('default', e.target.value)}>
                {MODES.map((m) => (
                  <option key={m} value={m}>
                    {label(m)}
                  </option>
                ))}
              </select>
            </td>
          </tr>
          {INTENTS.map((intent) => (
            <tr key={intent}>
              <th scope="row">
                <label htmlFor={`mode-${intent}`}>{label(intent)}</label>
              </th>
              <td>
                <select id={`mode-${intent}`} value={modes[intent] ?? ''} onChange={(e) => setMode(intent, e.target.value)}>
                  <option value="">Default ({label(modes.default).toLowerCase()})</option>
                  {MODES.map((m) => (
                    <option key={m} value={m}>
                      {label(m)}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
