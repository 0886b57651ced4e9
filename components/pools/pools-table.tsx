import Link from 'next/link';
import { pageHrefs } from '@/lib/api/paths';
import { formatBytes, formatCount, formatRatio } from '@/lib/format';
import { naturalCompare } from '@/lib/natural-sort';
import type { PoolDto } from '@/lib/schemas';
import { Badge, stateTone } from '@/components/ui/badge';
import { CapacityBar } from '@/components/ui/capacity-bar';
import { tableCls as t } from '@/components/ui/table';
import { YesNo } from '@/components/ui/yes-no';
import { PoolActions } from './pool-actions';

/** The host's pools: state, flags, fill, and thin-provisioning overcommit. */
export function PoolsTable({ hostId, pools }: { hostId: string; pools: PoolDto[] }) {
  const sorted = [...pools].sort((a, b) => naturalCompare(a.name, b.name));
  return (
    <div className={t.wrap}>
      <table className={t.table} aria-label={`Storage pools on ${hostId}`}>
        <thead className={t.thead}>
          <tr>
            <th scope="col" className={t.th}>Name</th>
            <th scope="col" className={t.th}>Type</th>
            <th scope="col" className={t.th}>State</th>
            <th scope="col" className={t.th}>Autostart</th>
            <th scope="col" className={`${t.th} hidden xl:table-cell`}>Persistent</th>
            <th scope="col" className={`${t.th} w-[28%] min-w-32`}>Allocation / capacity</th>
            <th scope="col" className={t.thNum}>Available</th>
            <th scope="col" className={t.thNum}>Volumes</th>
            <th scope="col" className={t.thNum} title="Sum of the volumes' capacities (thin provisioning)">
              Provisioned
            </th>
            <th scope="col" className={t.th}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((p) => (
            <PoolRow key={p.name} hostId={hostId} pool={p} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PoolRow({ hostId, pool: p }: { hostId: string; pool: PoolDto }) {
  const running = p.state === 'running';
  const over = p.volumeCapacity != null && p.capacity > 0 && p.volumeCapacity > p.capacity;
  return (
    <tr className={t.tr}>
      <th scope="row" className={`${t.td} text-left font-normal`}>
        <Link href={pageHrefs.pool(hostId, p.name)} className={t.link}>
          {p.name}
        </Link>
      </th>
      <td className={t.td}>{p.type}</td>
      <td className={t.td}>
        <Badge tone={stateTone(p.state)}>{p.state}</Badge>
        {/* Narrow screens drop the Persistent column; a transient pool still says so. */}
        {!p.persistent && (
          <span className="ml-1 xl:hidden">
            <Badge tone="warn">transient</Badge>
          </span>
        )}
      </td>
      <td className={t.td}>
        <YesNo value={p.autostart} />
      </td>
      <td className={`${t.td} hidden xl:table-cell`}>
        <YesNo value={p.persistent} />
      </td>
      <td className={`${t.td} py-1.5`}>
        {running ? (
          <CapacityBar label={`Pool ${p.name} capacity`} allocation={p.allocation} capacity={p.capacity} provisioned={p.volumeCapacity} provisionedText={false} />
        ) : (
          <span className={t.muted}>not running — sizes unknown</span>
        )}
      </td>
      <td className={t.tdNum}>{running ? formatBytes(p.available) : '—'}</td>
      <td className={t.tdNum}>{p.volumeCount != null ? formatCount(p.volumeCount) : '—'}</td>
      <td className={t.tdNum}>
        {p.volumeCapacity == null ? (
          '—'
        ) : (
          <span title={over ? `Volumes promise ${formatRatio(p.volumeCapacity, p.capacity)} the pool's size` : undefined}>
            {formatBytes(p.volumeCapacity)}
            {over && <span className="ml-1 font-medium text-red-700 dark:text-red-400">({formatRatio(p.volumeCapacity, p.capacity)})</span>}
          </span>
        )}
      </td>
      <td className={`${t.td} text-right`}>
        <PoolActions hostId={hostId} pool={p} compact />
      </td>
    </tr>
  );
}
