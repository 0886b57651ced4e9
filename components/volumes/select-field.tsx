import { formCls as f } from './form-cls';

/** A labelled select of plain string choices (each option's text is its value); `empty` adds a first "" choice with that text. */
export function SelectField({ label, value, onChange, options, empty }: { label: string; value: string; onChange: (v: string) => void; options: readonly string[]; empty?: string }) {
  return (
    <label className={f.label}>
      {label}
      <select className={f.input} value={value} onChange={(e) => onChange(e.target.value)} aria-label={label}>
        {empty !== undefined && <option value="">{empty}</option>}
        {options.map((x) => (
          <option key={x}>{x}</option>
        ))}
      </select>
    </label>
  );
}
