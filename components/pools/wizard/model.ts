import { PoolCreateInput } from '@/lib/schemas';
import type { PoolCreateInputRaw } from '@/lib/api/pools';

/**
 * The wizard's form state and its translation into the API body (POST /pools). Everything the
 * user typed is kept as typed (no trimming, no escaping): the server puts values after `--` or
 * on stdin and escapes XML, so hostile text either fails validation here or goes through literally.
 */
export type PoolType = PoolCreateInput['type'];

export interface TypeInfo {
  type: PoolType;
  label: string;
  /** One line: when to use it (after the seed's teaching). */
  blurb: string;
  hasTarget: boolean;
  /** pool-build formats something (mkfs, pvcreate, partition table): overwrite is a guarded choice. */
  formats: boolean;
  /** What pool-build does for this type (shown beside the Build option). */
  build?: string;
}

/** The seed's five first, then the rest; only those the host reports as supported are offered. */
export const TYPE_INFO: TypeInfo[] = [
  { type: 'dir', label: 'Directory', blurb: 'File-based: volumes are image files in a directory of the host — the simplest pool, good for local qcow2 images.', hasTarget: true, formats: false, build: 'creates the target directory with the given permissions' },
  { type: 'fs', label: 'Filesystem', blurb: 'A block device (disk, partition, LUN) with a filesystem that libvirt mounts; volumes are files on it.', hasTarget: true, formats: true, build: 'formats the device (mkfs) — refused if it already holds a filesystem, unless you allow overwrite' },
  { type: 'netfs', label: 'Network filesystem', blurb: 'An NFS (or CIFS/Gluster) export mounted by libvirt: shared storage, so VMs can migrate between hosts.', hasTarget: true, formats: false, build: 'creates the local mount point' },
  { type: 'logical', label: 'LVM volume group', blurb: 'Device-based: volumes are LVM logical volumes — fast raw block devices, with LVM snapshots and easy growth.', hasTarget: true, formats: true, build: 'creates a physical volume on each device and the volume group on them — this wipes the devices' },
  { type: 'iscsi', label: 'iSCSI target', blurb: 'LUNs of an iSCSI target, logged in through the host’s open-iscsi; volumes are the LUNs (created on the SAN, not here).', hasTarget: true, formats: false },
  { type: 'iscsi-direct', label: 'iSCSI (direct, libiscsi)', blurb: 'LUNs of an iSCSI target reached by QEMU itself (libiscsi): no login on the host, needs an initiator IQN.', hasTarget: false, formats: false },
  { type: 'disk', label: 'Physical disk', blurb: 'A whole disk whose partitions are the volumes; libvirt manages the partition table.', hasTarget: true, formats: true, build: 'writes a new partition table to the device — this wipes it' },
  { type: 'scsi', label: 'SCSI host adapter', blurb: 'The LUNs a SCSI/HBA adapter (e.g. host0, or an NPIV vHBA) presents to the host.', hasTarget: true, formats: false },
  { type: 'mpath', label: 'Multipath', blurb: 'Every multipath device under /dev/mapper (read-only listing: volumes come from the SAN).', hasTarget: true, formats: false },
  { type: 'gluster', label: 'GlusterFS (native)', blurb: 'A Gluster volume accessed by QEMU’s gluster driver, without a mount on the host.', hasTarget: false, formats: false },
  { type: 'rbd', label: 'Ceph RBD', blurb: 'RADOS block devices in a Ceph pool, accessed by QEMU directly; scales out across a cluster.', hasTarget: false, formats: false },
  { type: 'zfs', label: 'ZFS', blurb: 'A ZFS pool whose zvols are the volumes: checksums, snapshots and compression on the host.', hasTarget: false, formats: false, build: 'creates the zpool on the devices — this wipes them' },
];
export const typeInfo = (t: PoolType): TypeInfo => TYPE_INFO.find((i) => i.type === t) ?? TYPE_INFO[0]!;

export interface WizardForm {
  name: string;
  type: PoolType;
  host: string;
  port: string;
  dir: string;
  device: string;
  devices: string[];
  sourceName: string;
  format: string;
  protocolVersion: string;
  initiator: string;
  adapter: string;
  logicalMode: 'existing' | 'new';
  chap: boolean;
  authUser: string;
  authSecret: string;
  targetPath: string;
  mode: string;
  owner: string;
  group: string;
  build: boolean;
  overwrite: boolean;
  confirm: string;
  start: boolean;
  autostart: boolean;
}

export const emptyForm = (type: PoolType = 'dir'): WizardForm => ({
  name: '',
  type,
  host: '',
  port: '',
  dir: '',
  device: '',
  devices: [],
  sourceName: '',
  format: '',
  protocolVersion: '',
  initiator: '',
  adapter: '',
  logicalMode: 'existing',
  chap: false,
  authUser: '',
  authSecret: '',
  targetPath: '',
  mode: '',
  owner: '',
  group: '',
  build: type === 'dir' || type === 'netfs',
  overwrite: false,
  confirm: '',
  start: true,
  autostart: true,
});

/** Which source fields each type shows (libvirt's formatstorage.html, per pool type). */
export const SOURCE_FIELDS: Record<PoolType, ReadonlyArray<'host' | 'port' | 'dir' | 'device' | 'devices' | 'name' | 'format' | 'protocol' | 'initiator' | 'adapter' | 'auth'>> = {
  dir: [],
  fs: ['device', 'format'],
  netfs: ['host', 'dir', 'format', 'protocol'],
  logical: ['name', 'devices'],
  disk: ['device', 'format'],
  iscsi: ['host', 'port', 'device', 'initiator', 'auth'],
  'iscsi-direct': ['host', 'port', 'device', 'initiator', 'auth'],
  scsi: ['adapter'],
  mpath: [],
  gluster: ['host', 'name', 'dir'],
  rbd: ['host', 'port', 'name'],
  zfs: ['name', 'devices'],
};

const opt = (s: string) => (s === '' ? undefined : s);

/** The POST body for this form. Fields a type does not use are left out. */
export function toBody(f: WizardForm): PoolCreateInputRaw {
  const uses = new Set(SOURCE_FIELDS[f.type]);
  const info = typeInfo(f.type);
  const source: NonNullable<PoolCreateInputRaw['source']> = {};
  if (uses.has('host')) source.host = opt(f.host);
  if (uses.has('port') && f.port !== '') source.port = /^\d+$/.test(f.port) ? Number(f.port) : (f.port as unknown as number);
  if (uses.has('dir')) source.dir = opt(f.dir);
  if (uses.has('device')) source.device = opt(f.device);
  if (uses.has('devices') && !(f.type === 'logical' && f.logicalMode === 'existing') && f.devices.length) source.devices = f.devices;
  if (uses.has('name')) source.name = opt(f.sourceName);
  if (uses.has('format')) source.format = opt(f.format);
  if (uses.has('protocol')) source.protocolVersion = opt(f.protocolVersion);
  if (uses.has('initiator')) source.initiator = opt(f.initiator);
  if (uses.has('adapter')) source.adapter = opt(f.adapter);
  if (uses.has('auth') && f.chap) source.auth = { type: 'chap', username: f.authUser, secret: f.authSecret };
  const permissions = info.hasTarget && (f.mode || f.owner || f.group) ? { mode: opt(f.mode), owner: opt(f.owner), group: opt(f.group) } : undefined;
  const build = canBuild(f.type) && f.build;
  return {
    name: f.name,
    type: f.type,
    source,
    target: info.hasTarget ? { path: opt(f.targetPath), permissions } : {},
    build,
    overwrite: build && info.formats && f.overwrite,
    start: f.start,
    autostart: f.autostart,
    ...(build && info.formats && f.overwrite ? { confirm: f.confirm } : {}),
  };
}

/** Types where `pool-build` does something (libvirt has no build for iscsi, scsi, mpath, rbd…). */
export const canBuild = (t: PoolType) => Boolean(typeInfo(t).build);

export type FieldErrors = Record<string, string>;

/** Field errors keyed like the form (`name`, `source.host`, `target.path`…): the shared zod schema plus per-type requirements. */
export function validate(f: WizardForm, existing: readonly string[]): FieldErrors {
  const errors: FieldErrors = {};
  const parsed = PoolCreateInput.safeParse(toBody(f));
  if (!parsed.success)
    for (const i of parsed.error.issues) {
      const key = i.path.join('.').replace(/^source\.devices\.\d+$/, 'source.devices').replace(/^source\.auth\.(username|secret)$/, 'source.auth.$1');
      errors[key] ??= i.message;
    }
  if (f.name && existing.includes(f.name)) errors.name = `A pool named “${f.name}” already exists on this host`;
  const need = (key: string, value: string | string[], message: string) => {
    if ((Array.isArray(value) ? value.length === 0 : value === '') && !errors[key]) errors[key] = message;
  };
  switch (f.type) {
    case 'fs':
    case 'disk':
      need('source.device', f.device, 'choose the block device');
      if (f.device && !f.device.startsWith('/')) errors['source.device'] ??= 'a device path, starting with /dev/';
      break;
    case 'netfs':
      need('source.host', f.host, 'the NFS server’s host name or address');
      need('source.dir', f.dir, 'the exported directory, e.g. /srv/nfs/images');
      break;
    case 'logical':
      need('source.name', f.sourceName, f.logicalMode === 'existing' ? 'choose the volume group' : 'a name for the new volume group');
      if (f.logicalMode === 'new') need('source.devices', f.devices, 'choose at least one device for the new volume group');
      break;
    case 'iscsi':
    case 'iscsi-direct':
      need('source.host', f.host, 'the portal’s host name or address');
      need('source.device', f.device, 'the target’s IQN');
      if (f.device && !/^(iqn\.\d{4}-\d{2}\..+|eui\.[0-9A-Fa-f]{16}|naa\.[0-9A-Fa-f]{16,32})$/.test(f.device)) errors['source.device'] ??= 'an iSCSI name such as iqn.2026-11.com.example:target';
      if (f.type === 'iscsi-direct') need('source.initiator', f.initiator, 'iscsi-direct logs in itself: give the initiator IQN it uses');
      if (f.chap) {
        need('source.auth.username', f.authUser, 'the CHAP user name');
        need('source.auth.secret', f.authSecret, 'the CHAP password');
      }
      break;
    case 'scsi':
      need('source.adapter', f.adapter, 'the SCSI host adapter, e.g. host0');
      break;
    case 'gluster':
      need('source.host', f.host, 'a Gluster server');
      need('source.name', f.sourceName, 'the Gluster volume name');
      break;
    case 'rbd':
      need('source.host', f.host, 'a Ceph monitor');
      need('source.name', f.sourceName, 'the Ceph pool name');
      break;
    case 'zfs':
      need('source.name', f.sourceName, 'the ZFS pool name');
      break;
    default:
      break;
  }
  if (toBody(f).overwrite && f.confirm !== f.name) errors.confirm = `type the pool name “${f.name}” to allow overwriting`;
  return errors;
}

/** Which step a field belongs to, so Next can stop at the first step with an error. */
export function stepOf(key: string): number {
  if (key === 'name' || key === 'type') return 0;
  if (key.startsWith('source')) return 1;
  return 2;
}
