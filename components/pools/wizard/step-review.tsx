'use client';

import type { ReactNode } from 'react';
import type { PoolCreateDryRun } from '@/lib/api/pools';
import { ErrorPanel } from '@/components/ui/error-panel';
import { Facts } from '@/components/ui/facts';
import { Note } from '@/components/ui/note';
import { PreviewPanel } from './preview-panel';
import { toBody, typeInfo, type FieldErrors, type WizardForm } from './model';

/** Step 4: what was chosen, the exact XML and commands (the server's dry run), then the run. */
export function StepReview({ form, preview, previewError, errors, children }: { form: WizardForm; preview?: PoolCreateDryRun; previewError: unknown; errors: FieldErrors; children?: ReactNode }) {
  const body = toBody(form);
  const src = body.source ?? {};
  const problems = Object.entries(errors);
  return (
    <div className="space-y-4">
      {problems.length > 0 && (
        <ErrorPanel title="Some fields need fixing before the pool can be created" error={{ message: problems.map(([k, v]) => `${k}: ${v}`).join('; ') }} />
      )}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
        <div className="space-y-3">
          <Facts
            label="Summary"
            columns={1}
            items={[
              { term: 'Name', value: form.name, mono: true },
              { term: 'Type', value: `${typeInfo(form.type).label} (${form.type})` },
              { term: 'Source host', value: src.host, mono: true },
              { term: 'Source device', value: src.devices?.join(', ') ?? src.device, mono: true },
              { term: 'Source directory', value: src.dir, mono: true },
              { term: 'Source name', value: src.name, mono: true },
              { term: 'Initiator', value: src.initiator, mono: true },
              { term: 'CHAP user', value: src.auth?.username },
              { term: 'Target', value: body.target?.path ?? (typeInfo(form.type).target ? 'default' : undefined), mono: true },
              { term: 'Build', value: body.build ? (body.overwrite ? 'yes, with overwrite' : 'yes') : 'no' },
              { term: 'Start now', value: body.start ? 'yes' : 'no' },
              { term: 'Autostart', value: body.autostart ? 'yes' : 'no' },
            ].filter((i) => i.value !== undefined && i.value !== '')}
          />
          {body.overwrite && <Note tone="danger">Building with overwrite destroys what the source device holds.</Note>}
          <Note>If a step fails, the steps done so far are undone (stop, undefine{src.auth ? ', remove the secret' : ''}) so no half-made pool is left.</Note>
        </div>
        <div className="min-w-0 space-y-3">
          <PreviewPanel preview={preview} error={previewError} stale={false} />
        </div>
      </div>
      {children}
    </div>
  );
}
