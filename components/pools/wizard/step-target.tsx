'use client';

import { PathPolicyNote } from '@/components/hosts/path-policy-note';
import { defaultTargetPath } from '@/lib/schemas';
import { Note } from '@/components/ui/note';
import { CheckField, TextField } from '@/components/ui/form-fields';
import { canBuild, isFilePool } from '@/lib/pool-types';
import { typeInfo, type FieldErrors, type WizardForm } from './model';

/** The server's default target, as the placeholder (NAME until the pool is named). */
function defaultTarget(f: WizardForm): string {
  return defaultTargetPath({ type: f.type, name: f.name || 'NAME', source: { name: f.sourceName || undefined } }) ?? '';
}

/** Step 3: the target (path, permissions) and what to do: build (with overwrite as a guarded choice), start, autostart. */
export function StepTarget({ hostId, form, set, errors }: { hostId: string; form: WizardForm; set: (p: Partial<WizardForm>) => void; errors: FieldErrors }) {
  const info = typeInfo(form.type);
  // Permissions apply to a directory the pool creates or mounts on (file pools), not to /dev nodes.
  const perms = isFilePool(form.type);
  const buildable = canBuild(form.type);
  return (
    <div className="space-y-5">
      {info.target ? (
        <div className="space-y-4">
          <div className="max-w-2xl">
            <TextField
              label="Target path"
              value={form.targetPath}
              onChange={(targetPath) => set({ targetPath })}
              error={errors['target.path']}
              mono
              placeholder={defaultTarget(form)}
              help={
                info.mounts
                  ? 'The mount point. Leave empty for the default shown.'
                  : info.target === 'dir'
                    ? 'The directory holding the volumes. Leave empty for the default shown.'
                    : 'Where the volumes’ device nodes appear; the default is right almost always.'
              }
            />
            {perms && <PathPolicyNote hostId={hostId} show="roots" className="mt-1" />}
          </div>
          {perms && (
            <fieldset className="grid max-w-2xl gap-4 md:grid-cols-3">
              <legend className="mb-1 text-sm font-medium">Permissions of the target (optional)</legend>
              <TextField label="Mode" value={form.mode} onChange={(mode) => set({ mode })} error={errors['target.permissions.mode']} mono placeholder="0711" />
              <TextField label="Owner (uid)" value={form.owner} onChange={(owner) => set({ owner })} error={errors['target.permissions.owner']} mono placeholder="0" />
              <TextField label="Group (gid)" value={form.group} onChange={(group) => set({ group })} error={errors['target.permissions.group']} mono placeholder="0" />
            </fieldset>
          )}
        </div>
      ) : (
        <Note>A {form.type} pool has no target path: QEMU reaches its volumes directly.</Note>
      )}
      <fieldset className="max-w-2xl space-y-3">
        <legend className="mb-1 text-sm font-medium">Options</legend>
        <CheckField
          label="Build the pool"
          checked={buildable && form.build}
          disabled={!buildable}
          onChange={(build) => set({ build, ...(build ? {} : { overwrite: false, confirm: '' }) })}
          help={buildable ? `virsh pool-build ${info.build?.effect}.` : `libvirt has nothing to build for a ${form.type} pool.`}
        />
        {buildable && form.build && info.build?.formats && (
          <div className="ml-6 space-y-2">
            <CheckField
              label="Overwrite existing data"
              checked={form.overwrite}
              onChange={(overwrite) => set({ overwrite, confirm: '' })}
              help="pool-build --overwrite formats even a device that already holds a filesystem or data. Without it libvirt refuses such a device."
            />
            {form.overwrite && (
              <Note tone="danger">
                <p className="font-medium">Everything on {form.type === 'logical' ? form.devices.join(', ') || 'the chosen devices' : form.device || 'the device'} will be destroyed.</p>
                <div className="mt-2 max-w-sm">
                  <TextField label={`Type the pool name “${form.name}” to allow it`} value={form.confirm} onChange={(confirm) => set({ confirm })} error={errors.confirm} mono />
                </div>
              </Note>
            )}
          </div>
        )}
        <CheckField label="Start the pool now" checked={form.start} onChange={(start) => set({ start })} help="virsh pool-start: mounts, logs in or activates it so its volumes can be used." />
        <CheckField label="Start on boot (autostart)" checked={form.autostart} onChange={(autostart) => set({ autostart })} help="virsh pool-autostart: libvirtd starts it when the host boots." />
      </fieldset>
    </div>
  );
}
