'use client';

import { useId, type ReactNode } from 'react';

/** The form fields of every form (pool wizard, VMware wizard, volume dialogs): a visible label, a help line, the error announced and linked. */
import { fieldCls } from './styles';

const inputCls = fieldCls.input;

export function Field({ label, help, error, children }: { label: string; help?: ReactNode; error?: string; children: (p: { id: string; 'aria-describedby': string; 'aria-invalid': boolean }) => ReactNode }) {
  const id = useId();
  return (
    <div className="min-w-0">
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      <div className="mt-1">{children({ id, 'aria-describedby': `${id}-help ${id}-err`, 'aria-invalid': Boolean(error) })}</div>
      {help && (
        <p id={`${id}-help`} className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
          {help}
        </p>
      )}
      <p id={`${id}-err`} className="mt-1 text-xs font-medium text-red-700 empty:mt-0 dark:text-red-400" aria-live="polite">
        {error}
      </p>
    </div>
  );
}

export function TextField({
  label,
  value,
  onChange,
  help,
  error,
  placeholder,
  mono,
  type = 'text',
  autoComplete = 'off',
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  help?: ReactNode;
  error?: string;
  placeholder?: string;
  mono?: boolean;
  type?: 'text' | 'password';
  autoComplete?: string;
}) {
  return (
    <Field label={label} help={help} error={error}>
      {(p) => (
        <input
          {...p}
          type={type}
          value={value}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete={autoComplete}
          onChange={(e) => onChange(e.target.value)}
          className={`${inputCls} ${mono ? 'font-mono' : ''}`}
        />
      )}
    </Field>
  );
}

/** A select: options as `{value, label}` or plain strings (each its own value); `empty` adds a first "" choice with that text. */
export function SelectField({
  label,
  value,
  onChange,
  options,
  empty,
  help,
  error,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: ReadonlyArray<string | { value: string; label: string }>;
  empty?: string;
  help?: ReactNode;
  error?: string;
}) {
  const opts = [...(empty !== undefined ? [{ value: '', label: empty }] : []), ...options.map((o) => (typeof o === 'string' ? { value: o, label: o } : o))];
  return (
    <Field label={label} help={help} error={error}>
      {(p) => (
        <select {...p} value={value} onChange={(e) => onChange(e.target.value)} className={inputCls}>
          {opts.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function CheckField({ label, checked, onChange, help, disabled }: { label: string; checked: boolean; onChange: (v: boolean) => void; help?: ReactNode; disabled?: boolean }) {
  const id = useId();
  return (
    <div className="flex items-start gap-2">
      <input id={id} type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} aria-describedby={help ? `${id}-help` : undefined} className="mt-0.5 size-4 accent-sky-700" />
      <div>
        <label htmlFor={id} className={`text-sm font-medium ${disabled ? 'text-zinc-400' : 'text-zinc-800 dark:text-zinc-200'}`}>
          {label}
        </label>
        {help && (
          <p id={`${id}-help`} className="text-xs text-zinc-600 dark:text-zinc-400">
            {help}
          </p>
        )}
      </div>
    </div>
  );
}
