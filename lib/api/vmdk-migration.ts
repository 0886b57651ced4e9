import { useQuery } from '@tanstack/react-query';
import { OperationResult, VmdkCompareResult, VmdkConvertResult, VmdkInspectDto } from '@/lib/schemas';
import { getJson, sendJson } from './errors';
import { hostKeys } from './keys';
import { apiPaths } from './paths';

/** Client side of the guided VMware migration: inspect a vmdk, convert it (job), compare the result. */

const e = encodeURIComponent;

export const vmdkPaths = {
  inspect: (h: string, p: string, v: string) => `${apiPaths.volume(h, p, v)}/vmdk`,
  action: (h: string, p: string, v: string, a: 'convert' | 'compare' | 'delete') => `${apiPaths.volume(h, p, v)}/vmdk/${a}`,
};

/** The page of the flow; `from` preselects a source volume. */
export const migrateVmdkHref = (h: string, from?: { pool: string; name: string }) =>
  `/hosts/${e(h)}/migrate-vmdk${from ? `?pool=${e(from.pool)}&vol=${e(from.name)}` : ''}`;

/** Cached under the volume, so a refresh of the host or pool refreshes it too. */
export const useVmdkInspect = (h: string, p: string | null, v: string | null) =>
  useQuery({
    queryKey: [...hostKeys.volume(h, p ?? '', v ?? ''), 'vmdk'],
    queryFn: ({ signal }) => getJson(vmdkPaths.inspect(h, p!, v!), VmdkInspectDto, signal),
    enabled: Boolean(p && v),
    staleTime: 5_000,
  });

export const vmdkConvert = (h: string, p: string, v: string, body: Record<string, unknown>) => sendJson('POST', vmdkPaths.action(h, p, v, 'convert'), body, VmdkConvertResult);
export const vmdkCompare = (h: string, p: string, v: string, other: { pool: string; name: string }) =>
  sendJson('POST', vmdkPaths.action(h, p, v, 'compare'), { other }, VmdkCompareResult);

/** Delete the descriptor and its extent files: one operation, one typed confirmation (the vmdk's name). */
export const vmdkDelete = (h: string, p: string, v: string, body: { confirm?: string; dryRun?: boolean }) => sendJson('POST', vmdkPaths.action(h, p, v, 'delete'), body, OperationResult);

/** VMware's ddb.adapterType → the bus a migrated guest most likely boots from without new drivers. */
export function busForAdapter(adapter: string | null): { bus: 'sata' | 'scsi' | 'ide' | 'virtio'; why: string } {
  switch (adapter) {
    case 'ide':
      return { bus: 'ide', why: 'the VMware disk was on IDE' };
    case 'lsilogic':
    case 'buslogic':
    case 'legacyESX':
      return { bus: 'sata', why: `the VMware disk was on a ${adapter} SCSI controller, which QEMU does not emulate; SATA needs no extra guest driver — switch to virtio once the guest has its drivers` };
    case 'pvscsi':
      return { bus: 'scsi', why: 'the VMware disk was on paravirtual SCSI; virtio-scsi needs the virtio drivers in the guest' };
    default:
      return { bus: 'sata', why: 'no adapter type recorded; SATA boots most guests without extra drivers' };
  }
}
