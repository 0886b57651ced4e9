'use client';

import { PathPolicyNote } from '@/components/hosts/path-policy-note';
import { useState } from 'react';
import { domainApi, useDomainMutation } from '@/lib/api/domains';
import type { DomainDetailDto, SnapshotCreateInput } from '@/lib/schemas';
import { ErrorPanel } from '@/components/ui/error-panel';
import { ActionDone, ActionPreview, useDryRun } from './action-preview';
import { Dialog, field, SubmitCancel } from '@/components/ui/dialog';

const stamp = () => new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
/** Same default as the server: /dir/disk.qcow2 + s1 → /dir/disk.s1.qcow2. */
const overlayFor = (source: string, name: string) => source.replace(/\.(qcow2|img|raw)$/, '') + `.${name}.qcow2`;

/** Take a snapshot: internal (checkpoint) or external disk-only, with the trade-offs said plainly and a preview of the XML. */
export function SnapshotCreateDialog({ hostId, dom, onClose }: { hostId: string; dom: DomainDetailDto; onClose: () => void }) {
  const vm = dom.domain.name;
  const running = dom.domain.state === 'running' || dom.domain.state === 'paused';
  const [name, setName] = useState(`snap-${stamp()}`);
  const [description, setDescription] = useState('');
  const [kind, setKind] = useState<'internal' | 'external'>('internal');
  const [quiesce, setQuiesce] = useState(false);
  const disks = dom.disks.filter((d) => d.device === 'disk' && d.source && !d.readonly && (running ? d.inLive : d.inConfig));
  const [files, setFiles] = useState<Record<string, string>>({});
  const [excluded, setExcluded] = useState<Record<string, boolean>>({});
  const body: SnapshotCreateInput = {
    name,
    ...(description ? { description } : {}),
    kind,
    memory: true,
    quiesce,
    disks: kind === 'external' ? disks.map((d) => ({ target: d.target, ...(files[d.target] ? { file: files[d.target] } : {}), exclude: excluded[d.target] ?? false })) : [],
  };
  const current = useDryRun(body, (b) => domainApi.snapshotCreate(hostId, vm, { ...b, dryRun: true }));
  const create = useDomainMutation(hostId, (b: SnapshotCreateInput) => domainApi.snapshotCreate(hostId, vm, b));
  return (
    <Dialog title={`Take a snapshot of ${vm}`} open onClose={onClose} wide>
      {create.isSuccess ? (
        <ActionDone result={create.data} onClose={onClose} />
      ) : (
        <div className="grid gap-4 lg:grid-cols-2">
          <form
            className="space-y-3 text-sm"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate(body);
            }}
          >
            <label className={field.label}>
              Snapshot name
              <input className={field.input} value={name} onChange={(e) => setName(e.target.value)} />
            </label>
            <label className={field.label}>
              Description
              <input className={field.input} value={description} onChange={(e) => setDescription(e.target.value)} placeholder="what you are about to try" />
            </label>
            <fieldset className="space-y-2 rounded-md border border-zinc-200 p-2 dark:border-zinc-700">
              <legend className={`${field.label} px-1`}>Kind</legend>
              <label className="flex items-start gap-2">
                <input type="radio" name="kind" className="mt-1" checked={kind === 'internal'} onChange={() => setKind('internal')} />
                <span>
                  <strong>Internal</strong> — stored inside each qcow2 disk; nothing new on disk to manage.{' '}
                  {running
                    ? 'The VM is running, so its memory is saved too (a checkpoint): reverting resumes it exactly there. The guest pauses while memory is written.'
                    : 'The VM is off: the disks are consistent.'}{' '}
                  Every disk must be qcow2.
                </span>
              </label>
              <label className="flex items-start gap-2">
                <input type="radio" name="kind" className="mt-1" checked={kind === 'external'} onChange={() => setKind('external')} />
                <span>
                  <strong>External, disk-only</strong> — each disk gets a new overlay file that takes all later writes; the current file becomes its read-only base.{' '}
                  {running ? 'The VM keeps running: the snapshot is crash-consistent (like pulling the plug) unless quiesced by a guest agent.' : 'The VM is off: consistent.'} Atomic across disks.
                </span>
              </label>
            </fieldset>
            {kind === 'external' && (
              <fieldset className="space-y-1">
                <legend className={field.label}>Overlay file per disk</legend>
                <PathPolicyNote hostId={hostId} show="roots" />
                {disks.map((d) => (
                  <div key={d.target} className="flex items-center gap-2">
                    <span className="w-10 font-mono text-xs">{d.target}</span>
                    <input
                      aria-label={`Overlay file for ${d.target}`}
                      className={`${field.input} mt-0 font-mono text-xs`}
                      value={files[d.target] ?? overlayFor(d.source ?? '', name)}
                      disabled={excluded[d.target]}
                      onChange={(e) => setFiles({ ...files, [d.target]: e.target.value })}
                    />
                    <label className="flex items-center gap-1 text-xs whitespace-nowrap">
                      <input type="checkbox" checked={excluded[d.target] ?? false} onChange={(e) => setExcluded({ ...excluded, [d.target]: e.target.checked })} /> skip
                    </label>
                  </div>
                ))}
                <label className="flex items-start gap-2">
                  <input type="checkbox" className="mt-1" checked={quiesce} disabled={!dom.domain.guestAgent || !running} onChange={(e) => setQuiesce(e.target.checked)} />
                  <span>
                    Quiesce the guest’s filesystems first
                    {!dom.domain.guestAgent && <span className="block text-xs text-zinc-500">Needs the QEMU guest agent; {vm} has no agent channel.</span>}
                  </span>
                </label>
              </fieldset>
            )}
            {create.error && <ErrorPanel title="The snapshot was not taken" error={create.error} />}
            <SubmitCancel label="Take snapshot" pendingLabel="Taking snapshot…" pending={create.isPending} disabled={Boolean(current?.error)} onCancel={onClose} />
          </form>
          <div aria-label="Preview" className="min-w-0">
            {current?.error ? <ErrorPanel title="This would be refused" error={current.error} /> : current?.result ? <ActionPreview result={current.result} /> : <p className="text-sm text-zinc-500">Preparing the preview…</p>}
          </div>
        </div>
      )}
    </Dialog>
  );
}
