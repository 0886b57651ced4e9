'use client';

import { PathPolicyNote } from '@/components/hosts/path-policy-note';
import { useBlockDevices, type BlockDevice } from '@/lib/api/pools';
import { formatBytes } from '@/lib/format';
import { ErrorPanel } from '@/components/ui/error-panel';
import { Skeleton } from '@/components/ui/skeleton';
import { tableCls as t } from '@/components/ui/table';

interface Row {
  dev: BlockDevice;
  depth: number;
  busy: string | null;
}

/** A device in use (mounted itself, or through a partition/LV under it) cannot back a new pool. */
function flatten(list: BlockDevice[], depth = 0): Row[] {
  return list.flatMap((dev) => {
    const kids = flatten(dev.children ?? [], depth + 1);
    const mountedBelow = kids.find((k) => k.dev.mountpoint);
    const busy = dev.mountpoint ? `mounted on ${dev.mountpoint}` : mountedBelow ? `${mountedBelow.dev.name} is mounted` : null;
    return [{ dev, depth, busy }, ...kids];
  });
}

/** The host's block devices (lsblk): size, filesystem, mount state. Mounted ones are refused. */
export function DevicePicker({ hostId, multiple, selected, onChange, label }: { hostId: string; multiple: boolean; selected: string[]; onChange: (paths: string[]) => void; label: string }) {
  const q = useBlockDevices(hostId, true);
  if (q.isPending) return <Skeleton className="h-24 w-full" />;
  if (q.error) return <ErrorPanel title="Could not list the host’s block devices" error={q.error} />;
  const rows = flatten(q.data.blockdevices);
  if (!rows.length) return <p className="text-sm text-zinc-600">lsblk lists no block devices on this host.</p>;
  const toggle = (path: string) =>
    onChange(multiple ? (selected.includes(path) ? selected.filter((p) => p !== path) : [...selected, path]) : [path]);
  return (
    <div>
      <PathPolicyNote hostId={hostId} show="devices" className="mb-1" />
      <div className={`${t.wrap} max-h-64 overflow-auto`}>
        <table className={t.table} aria-label={label}>
          <thead className={t.thead}>
            <tr>
              <th scope="col" className={t.th}>
                <span className="sr-only">Choose</span>
              </th>
              <th scope="col" className={t.th}>Device</th>
              <th scope="col" className={t.thNum}>Size</th>
              <th scope="col" className={t.th}>Type</th>
              <th scope="col" className={t.th}>Filesystem</th>
              <th scope="col" className={t.th}>In use</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ dev, depth, busy }) => (
              <tr key={dev.name} className={t.tr}>
                <td className={t.td}>
                  <input
                    type={multiple ? 'checkbox' : 'radio'}
                    name={label}
                    checked={selected.includes(dev.name)}
                    disabled={Boolean(busy)}
                    onChange={() => toggle(dev.name)}
                    aria-label={`Use ${dev.name}`}
                    className="accent-sky-700"
                  />
                </td>
                <td className={`${t.td} font-mono`} style={{ paddingLeft: `${0.75 + depth}rem` }}>
                  {dev.name}
                  {dev.model && <span className="ml-2 font-sans text-xs text-zinc-500">{dev.model.trim()}</span>}
                </td>
                <td className={t.tdNum}>{dev.size != null ? formatBytes(dev.size) : '—'}</td>
                <td className={t.td}>{dev.type}</td>
                <td className={t.td}>{dev.fstype ?? <span className={t.muted}>none</span>}</td>
                <td className={t.td}>{busy ? <span className="text-amber-800 dark:text-amber-300">{busy}</span> : <span className={t.muted}>free</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
