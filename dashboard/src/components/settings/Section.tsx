import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../../api';
import type { Settings, StoreView } from '../../types';
import { Notice } from '../StateViews';

export type Draft = Partial<Settings>;
export type SetDraft = (update: (draft: Draft) => Draft) => void;

/**
 * One settings form: edits a copy of a few top-level settings and saves only those (PATCH merges
 * them into the rest), so two sections never overwrite each other.
 */
export function SettingsSection({
  title,
  description,
  storeId,
  settings,
  keys,
  disabled,
  onSaved,
  children,
}: {
  title: string;
  description?: ReactNode;
  storeId: string;
  settings: Settings;
  keys: (keyof Settings)[];
  disabled: boolean;
  onSaved: (store: StoreView) => void;
  children: (draft: Draft, set: SetDraft) => ReactNode;
}) {
  const pick = () => Object.fromEntries(keys.map((k) => [k, structuredClone(settings[k])])) as Draft;
  const [draft, setDraft] = useState<Draft>(pick);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const headingId = useId();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => setDraft(pick()), [settings]);

  // null means "back to the default" in a PATCH; for "did anything change", it equals absent.
  const same = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (x === null ? undefined : x));
  const dirty = same(draft) !== same(pick());
  const set: SetDraft = (update) => {
    setNotice(undefined);
    setDraft((d) => update(structuredClone(d)));
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    // An emptied number field would be sent as null, which resets it to the default: ask instead.
    if (hasNaN(draft)) {
      setNotice({ kind: 'error', text: 'Every number needs a value before saving.' });
      return;
    }
    setBusy(true);
    setNotice(undefined);
    try {
      const store = await api.updateSettings(storeId, draft);
      setNotice({ kind: 'ok', text: `${title}: saved.` });
      onSaved(store);
    } catch (err) {
      const details = (err as { details?: { path: string; message: string }[] }).details;
      const why = Array.isArray(details) ? details.map((d) => `${d.path}: ${d.message}`).join('; ') : '';
      setNotice({ kind: 'error', text: `${(err as Error).message}${why ? ` (${why})` : ''}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card settings-section" onSubmit={save} aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {description && <p className="muted">{description}</p>}
      <fieldset disabled={disabled || busy} className="plain">
        {children(draft, set)}
      </fieldset>
      <div className="buttons">
        <button type="submit" className="btn btn-primary" disabled={disabled || busy || !dirty}>
          {busy ? 'Saving…' : `Save ${title.toLowerCase()}`}
        </button>
        {dirty && (
          <button type="button" className="btn btn-quiet" onClick={() => setDraft(pick())}>
            Undo changes
          </button>
        )}
      </div>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
    </form>
  );
}

function hasNaN(v: unknown): boolean {
  if (typeof v === 'number') return Number.isNaN(v);
  if (v && typeof v === 'object') return Object.values(v).some(hasNaN);
  return false;
}

/** A labelled number input with a help line. */
export function NumberField({
  id,
  text,
  help,
  value,
  onChange,
  min,
  max,
  step,
  prefix,
}: {
  id: string;
  text: string;
  help?: string;
  value: number | undefined;
  onChange: (n: number) => void;
  min?: number;
  max?: number;
  step?: number;
  prefix?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{text}</label>
      <div className="inline">
        {prefix && <span aria-hidden="true">{prefix}</span>}
        <input
          id={id}
          type="number"
          value={value ?? ''}
          min={min}
          max={max}
          step={step}
          required
          onChange={(e) => onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))}
          aria-describedby={help ? `${id}-help` : undefined}
        />
      </div>
      {help && (
        <p id={`${id}-help`} className="help">
          {help}
        </p>
      )}
    </div>
  );
}

export function TextField({
  id,
  text,
  help,
  value,
  onChange,
  type = 'text',
  multiline,
}: {
  id: string;
  text: string;
  help?: string;
  value: string | null | undefined;
  onChange: (s: string) => void;
  type?: string;
  multiline?: boolean;
}) {
  const described = help ? `${id}-help` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{text}</label>
      {multiline ? (
        <textarea id={id} rows={3} value={value ?? ''} onChange={(e) => onChange(e.target.value)} aria-describedby={described} />
      ) : (
        <input id={id} type={type} value={value ?? ''} onChange={(e) => onChange(e.target.value)} aria-describedby={described} />
      )}
      {help && (
        <p id={described} className="help">
          {help}
        </p>
      )}
    </div>
  );
}

export function Checkbox({ id, text, checked, onChange }: { id: string; text: string; checked: boolean; onChange: (b: boolean) => void }) {
  return (
    <div className="check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{text}</label>
    </div>
  );
}
