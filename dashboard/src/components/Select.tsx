import { label } from '../format';

type Props = {
  id: string;
  text: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
  /** The first option's text (value ''), e.g. "All"; omit for a required choice. */
  any?: string;
  disabled?: boolean;
};

/** A labelled select whose options are API values shown as words. */
export function Select({ id, text, value, options, onChange, any, disabled }: Props) {
  return (
    <div className="field">
      <label htmlFor={id}>{text}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
        {any !== undefined && <option value="">{any}</option>}
        {options.map((o) => (
          <option key={o} value={o}>
            {label(o)}
          </option>
        ))}
      </select>
    </div>
  );
}
