import { z } from 'zod';
import { CREATABLE_POOL_TYPES } from '../pool-types';

/**
 * A pool name as libvirt accepts it (non-empty, no `/`), further limited to printable text:
 * names end up in file names (/etc/libvirt/storage/NAME.xml), URLs and commands.
 */
export const PoolName = z
  .string()
  .min(1, 'a pool needs a name')
  .max(200, 'at most 200 characters')
  .refine((s) => !s.includes('/'), 'a pool name cannot contain “/” (libvirt stores it as a file name)')
  .refine((s) => !/[\x00-\x1f\x7f]/.test(s), 'a pool name cannot contain control characters')
  .refine((s) => s !== '.' && s !== '..', 'a pool name cannot be “.” or “..”')
  .refine((s) => s.trim() === s, 'a pool name cannot begin or end with spaces');

const AbsPath = z.string().regex(/^\/[^\x00-\x1f\x7f]*$/, 'an absolute path, starting with /');
const HostName = z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9.:-]{0,252})$|^\[[0-9A-Fa-f:.]+\]$/, 'a host name or IP address');
const Iqn = z.string().regex(/^(iqn\.\d{4}-\d{2}\.[^\s]+|eui\.[0-9A-Fa-f]{16}|naa\.[0-9A-Fa-f]{16,32})$/, 'an iSCSI name such as iqn.2026-11.com.example:target');

export const PoolPermissionsInput = z.object({
  mode: z.string().regex(/^0?[0-7]{3,4}$/, 'an octal mode such as 0755').optional(),
  owner: z.string().regex(/^\d+$/, 'a numeric uid').optional(),
  group: z.string().regex(/^\d+$/, 'a numeric gid').optional(),
});

/** POST /api/hosts/{id}/pools body. `source` mirrors libvirt's <source>; unused fields are ignored per type. */
export const PoolCreateInput = z.object({
  name: PoolName,
  /** The types the wizard creates (lib/pool-types.ts). */
  type: z.enum(CREATABLE_POOL_TYPES),
  source: z
    .object({
      host: HostName.optional(),
      port: z.number().int().min(1).max(65535).optional(),
      dir: AbsPath.optional(),
      device: z.string().min(1).optional(),
      devices: z.array(AbsPath).optional(),
      name: z.string().min(1).max(200).regex(/^[^\x00-\x1f\x7f/]+$/, 'no “/” or control characters').optional(),
      format: z.string().regex(/^[a-z0-9_-]+$/, 'a format name such as ext4 or nfs').optional(),
      protocolVersion: z.string().regex(/^\d(\.\d)?$/, 'an NFS version such as 3 or 4.1').optional(),
      initiator: Iqn.optional(),
      adapter: z.string().regex(/^[a-z0-9_]+$/, 'a SCSI host adapter name such as host0').optional(),
      auth: z
        .object({
          type: z.enum(['chap', 'ceph']).default('chap'),
          username: z.string().min(1).max(255).regex(/^[^\x00-\x1f\x7f]+$/),
          /** The secret's value (CHAP password): stored as a libvirt secret, never on a command line. */
          secret: z.string().min(1).max(255).optional(),
          /** Or an existing libvirt secret, by usage name. */
          secretUsage: z.string().min(1).optional(),
        })
        .optional(),
    })
    .default({}),
  target: z.object({ path: AbsPath.optional(), permissions: PoolPermissionsInput.optional() }).default({}),
  build: z.boolean().default(false),
  /** fs/disk/logical: let `pool-build --overwrite` wipe existing data (a guarded choice). */
  overwrite: z.boolean().default(false),
  start: z.boolean().default(true),
  autostart: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  /** With `overwrite`, the pool's name typed again. */
  confirm: z.string().optional(),
});
export type PoolCreateInput = z.infer<typeof PoolCreateInput>;

/** Where a type's volumes live when the user gives no target path (the server's default and the wizard's placeholder). */
export function defaultTargetPath(input: Pick<PoolCreateInput, 'type' | 'name' | 'source'>): string | undefined {
  switch (input.type) {
    case 'dir':
      return `/var/lib/libvirt/images/${input.name}`;
    case 'fs':
    case 'netfs':
      return `/var/lib/libvirt/${input.type}/${input.name}`;
    case 'logical':
      return input.source.name ? `/dev/${input.source.name}` : `/dev/${input.name}`;
    case 'disk':
      return '/dev';
    case 'iscsi':
    case 'scsi':
      return '/dev/disk/by-path';
    case 'mpath':
      return '/dev/mapper';
    default:
      return undefined; // iscsi-direct, gluster, rbd, zfs: no target element
  }
}
