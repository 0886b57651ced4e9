'use client';

import type { PoolTypeCapability } from '@/lib/api/pools';
import { TextField } from '@/components/ui/form-fields';
import { buildsByDefault } from '@/lib/pool-types';
import { TYPE_INFO, type FieldErrors, type PoolType, type WizardForm } from './model';

/** Step 1: name, and the type — only those this host's libvirt supports, each with when to use it. */
export function StepType({ form, set, errors, caps }: { form: WizardForm; set: (p: Partial<WizardForm>) => void; errors: FieldErrors; caps: PoolTypeCapability[] }) {
  const supported = new Set(caps.filter((c) => c.supported).map((c) => c.type));
  const offered = TYPE_INFO.filter((t) => supported.has(t.type));
  const unsupported = caps.filter((c) => !c.supported).map((c) => c.type);
  return (
    <div className="space-y-4">
      <div className="max-w-md">
        <TextField
          label="Pool name"
          value={form.name}
          onChange={(name) => set({ name })}
          error={errors.name}
          help="How virsh and this console name the pool. libvirt stores it as /etc/libvirt/storage/NAME.xml: no “/”, no control characters."
          placeholder="e.g. guest_images"
        />
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Pool type</legend>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">The types this host’s libvirt supports (virsh pool-capabilities).</p>
        <div role="radiogroup" aria-label="Pool type" className="mt-2 grid gap-2 md:grid-cols-2">
          {offered.map((t) => {
            const on = form.type === t.type;
            return (
              <label
                key={t.type}
                className={`flex cursor-pointer gap-2 rounded-md border p-2.5 text-sm ${
                  on ? 'border-sky-600 bg-sky-50 ring-1 ring-sky-600 dark:bg-sky-950/40' : 'border-zinc-200 hover:border-zinc-400 dark:border-zinc-700'
                }`}
              >
                <input type="radio" name="pool-type" value={t.type} checked={on} onChange={() => set({ type: t.type as PoolType, build: buildsByDefault(t.type), overwrite: false, confirm: '' })} className="mt-0.5 accent-sky-700" aria-describedby={`type-${t.type}`} />
                <span>
                  <span className="font-medium text-zinc-900 dark:text-zinc-100">{t.label}</span> <code className="text-xs text-zinc-500">{t.type}</code>
                  <span id={`type-${t.type}`} className="mt-0.5 block text-xs text-zinc-600 dark:text-zinc-400">
                    {t.blurb}
                  </span>
                </span>
              </label>
            );
          })}
        </div>
        {unsupported.length > 0 && <p className="mt-2 text-xs text-zinc-500">Not supported by this libvirt: {unsupported.join(', ')}.</p>}
      </fieldset>
    </div>
  );
}
