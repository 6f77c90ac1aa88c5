import type { Settings } from '../../types';
import { Checkbox, TextField, type Draft, type SetDraft } from './Section';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const ZONES: string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
})();

/** When the bot may send on its own; outside these hours it drafts or sends a holding reply. */
export function BusinessHoursFields({ draft, set }: { draft: Draft; set: SetDraft }) {
  const bh = draft.business_hours as Settings['business_hours'];
  const update = (patch: Partial<Settings['business_hours']>) => set((d) => ({ ...d, business_hours: { ...bh, ...patch } }));
  const toggleDay = (day: number, on: boolean) =>
    update({ days: on ? [...new Set([...bh.days, day])].sort() : bh.days.filter((d) => d !== day) });
  return (
    <>
      <Checkbox id="bh-enabled" text="Only automate inside business hours" checked={bh.enabled} onChange={(b) => update({ enabled: b })} />
      <div className="grid-3">
        <div className="field">
          <label htmlFor="bh-timezone">Time zone</label>
          <input id="bh-timezone" list="bh-zones" value={bh.timezone} onChange={(e) => update({ timezone: e.target.value })} />
          <datalist id="bh-zones">
            {ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </div>
        <TextField id="bh-start" text="Opens at" type="time" value={bh.start} onChange={(v) => update({ start: v })} />
        <TextField id="bh-end" text="Closes at" type="time" value={bh.end} onChange={(v) => update({ end: v })} />
      </div>
      <fieldset className="days">
        <legend>Open days</legend>
        {DAYS.map((name, i) => (
          <Checkbox key={name} id={`bh-day-${i}`} text={name} checked={bh.days.includes(i)} onChange={(b) => toggleDay(i, b)} />
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="bh-outside">Outside business hours</label>
        <select
          id="bh-outside"
          value={bh.outsideHours}
          onChange={(e) => update({ outsideHours: e.target.value as Settings['business_hours']['outsideHours'] })}
        >
          <option value="draft">Draft only (a person sends it next morning)</option>
          <option value="holding_reply">Send a holding reply ("we will get back to you")</option>
        </select>
      </div>
    </>
  );
}
