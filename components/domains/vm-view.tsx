'use client';

import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { domainApi, useDomain } from '@/lib/api/domains';
import { useGateFor } from '@/lib/api/me';
import { formatBytes } from '@/lib/format';
import { ObjectHistory } from '@/components/audit/object-history';
import { Badge, stateTone } from '@/components/ui/badge';
import { CodePanel } from '@/components/ui/code-panel';
import { ErrorPanel } from '@/components/ui/error-panel';
import { Facts } from '@/components/ui/facts';
import { PageHeader } from '@/components/ui/page-header';
import { BodySkeleton } from '@/components/ui/skeleton';
import { Tabs } from '@/components/ui/tabs';
import { replaceSearchParams } from '@/components/ui/url-state';
import { btn } from '@/components/ui/dialog';
import { DisksView } from './disks-view';
import { GuardedAction } from './guarded-action';
import { VmSnapshotTimeline } from './vm-snapshot-timeline';

type Power = 'start' | 'shutdown' | 'destroy';

/** One VM: its disks (with chains), its snapshot timeline, its XML and its history; power actions where storage work needs them. */
export function VmView({ hostId, vm }: { hostId: string; vm: string }) {
  const q = useDomain(hostId, vm);
  const search = useSearchParams();
  const tab = (['snapshots', 'xml', 'history'] as const).find((t) => t === search.get('tab')) ?? 'disks';
  const [power, setPower] = useState<Power | null>(null);
  const gate = useGateFor(hostId);
  const powerGate = gate('POST /api/hosts/[host]/domains/[vm]/power');
  // Force off passes a typed-name guard: an admin's.
  const forceOff = gate('POST /api/hosts/[host]/domains/[vm]/power', {}, { guarded: true });
  if (q.isPending) return <BodySkeleton label={`Loading ${vm}`} />;
  if (q.error) return <ErrorPanel title={`Could not read VM ${vm} on ${hostId}`} error={q.error} />;
  const dom = q.data;
  const d = dom.domain;
  const running = d.state === 'running' || d.state === 'paused';
  return (
    <>
      <PageHeader kicker={`VM on ${hostId}`} title={d.name}>
        <Badge tone={stateTone(d.state)}>{d.state}</Badge>
        {!d.persistent && <Badge tone="warn">transient</Badge>}
        <span className="tabular-nums">
          {d.vcpus} vCPU · {formatBytes(d.memory)} · {dom.disks.length} {dom.disks.length === 1 ? 'disk' : 'disks'} · {dom.snapshots.snapshots.length} snapshots
        </span>
        <span className="flex gap-1">
          {powerGate.show && !running && (
            <button type="button" className={btn.small} onClick={() => setPower('start')}>
              Start…
            </button>
          )}
          {powerGate.show && running && (
            <button type="button" className={btn.small} onClick={() => setPower('shutdown')}>
              Shut down…
            </button>
          )}
          {forceOff.show && running && (
            <button type="button" className={btn.smallDanger} onClick={() => setPower('destroy')} disabled={forceOff.disabled} title={forceOff.why ?? undefined}>
              Force off…
            </button>
          )}
        </span>
      </PageHeader>
      <Facts
        label="VM facts"
        columns={3}
        items={[
          { term: 'Hypervisor', value: d.virtType === 'qemu' ? 'qemu (TCG emulation)' : d.virtType },
          { term: 'Machine', value: d.machine, mono: true },
          { term: 'ACPI (disk hot-plug)', value: d.acpi ? 'yes' : 'no' },
          { term: 'Guest agent', value: d.guestAgent ? 'channel present' : 'none' },
          { term: 'Autostart', value: d.autostart ? 'yes' : 'no' },
          { term: 'UUID', value: d.uuid, mono: true },
        ]}
      />
      <div className="mt-5">
        <Tabs
          label={`${d.name} sections`}
          tabs={[
            { id: 'disks', label: `Disks (${dom.disks.length})` },
            { id: 'snapshots', label: `Snapshots (${dom.snapshots.snapshots.length})` },
            { id: 'xml', label: 'XML' },
            { id: 'history', label: 'History' },
          ]}
          selected={tab}
          onSelect={(id) => replaceSearchParams({ tab: id === 'disks' ? null : id })}
        >
          {tab === 'disks' ? (
            <DisksView hostId={hostId} dom={dom} />
          ) : tab === 'snapshots' ? (
            <VmSnapshotTimeline hostId={hostId} dom={dom} />
          ) : tab === 'history' ? (
            <ObjectHistory hostId={hostId} kind="vm" object={d.name} />
          ) : (
            <div className="grid gap-3 xl:grid-cols-2">
              <CodePanel title="Live XML (virsh dumpxml)" code={dom.xml} />
              <CodePanel title="Persistent XML (dumpxml --inactive)" code={dom.inactiveXml} />
            </div>
          )}
        </Tabs>
      </div>
      {power && (
        <GuardedAction
          hostId={hostId}
          title={power === 'start' ? `Start ${vm}` : power === 'shutdown' ? `Shut down ${vm}` : `Force ${vm} off`}
          open
          onClose={() => setPower(null)}
          confirmName={power === 'destroy' ? vm : null}
          actionLabel={power === 'start' ? 'Start' : power === 'shutdown' ? 'Shut down' : 'Force off'}
          run={({ dryRun, confirm }) => domainApi.power(hostId, vm, { action: power, dryRun, confirm })}
        >
          {power === 'shutdown' && <p>Asks the guest to shut down (ACPI power button). A guest without an OS ignores it: use Force off then.</p>}
        </GuardedAction>
      )}
    </>
  );
}
