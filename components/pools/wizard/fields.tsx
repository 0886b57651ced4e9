'use client';

import { useId, type ReactNode } from 'react';

/** Form pieces for the wizard: a visible label, a help line, the error announced and linked. */
const inputCls =
  'w-full rounded border border-zinc-300 bg-white px-2 py-1 text-sm text-zinc-900 focus:border-sky-600 focus:ring-2 focus:ring-sky-600/30 focus:outline-none aria-[invalid=true]:border-red-500 dark:border-zinc-600 dark:bg-zinc-900 dark:text-zinc-100';

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
      <p id={`${id}-err`} className="mt-1 text-xs font-medium text-red-700 dark:text-red-400" aria-live="polite">
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

export function SelectField({ label, value, onChange, options, help, error }: { label: string; value: string; onChange: (v: string) => void; options: Array<{ value: string; label: string }>; help?: ReactNode; error?: string }) {
  return (
    <Field label={label} help={help} error={error}>
      {(p) => (
        <select {...p} value={value} onChange={(e) => onChange(e.target.value)} className={inputCls}>
          {options.map((o) => (
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

export function Button({ children, onClick, kind = 'secondary', disabled, type = 'button', title }: { children: ReactNode; onClick?: () => void; kind?: 'primary' | 'secondary' | 'danger'; disabled?: boolean; type?: 'button' | 'submit'; title?: string }) {
  const cls = {
    primary: 'border-sky-700 bg-sky-700 text-white hover:bg-sky-800 disabled:border-sky-300 disabled:bg-sky-300 dark:disabled:border-sky-900 dark:disabled:bg-sky-900',
    secondary: 'border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-50 disabled:text-zinc-400 dark:border-zinc-600 dark:bg-zinc-800 dark:text-zinc-100 dark:hover:bg-zinc-700',
    danger: 'border-red-700 bg-red-700 text-white hover:bg-red-800 disabled:border-red-300 disabled:bg-red-300 dark:disabled:border-red-900 dark:disabled:bg-red-900',
  }[kind];
  return (
    <button type={type} onClick={onClick} disabled={disabled} title={title} className={`rounded border px-3 py-1 text-sm font-medium focus-visible:ring-2 focus-visible:ring-sky-600 focus-visible:outline-none disabled:cursor-not-allowed ${cls}`}>
      {children}
    </button>
  );
}

export function Note({ tone = 'info', children }: { tone?: 'info' | 'warn' | 'danger'; children: ReactNode }) {
  const cls = {
    info: 'border-sky-200 bg-sky-50 text-sky-900 dark:border-sky-900 dark:bg-sky-950/50 dark:text-sky-200',
    warn: 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-200',
    danger: 'border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-200',
  }[tone];
  return <div className={`rounded-md border px-3 py-2 text-sm ${cls}`}>{children}</div>;
}
