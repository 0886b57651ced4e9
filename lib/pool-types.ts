/**
 * The one table of what each libvirt pool type is and can do, shared by the server (path policy,
 * pool build and delete, volume create/resize, XML) and the pool wizard (which fields to show,
 * what Build does). Like virt-manager's per-type capability methods: code asks the table, it does
 * not keep its own list of types. Pure data, safe in the browser and on the server.
 *
 * Sources: libvirt's formatstorage.html (which <source>/<target> elements a type takes) and its
 * storage backends (which of buildPool, deletePool, findPoolSources, createVol, resizeVol exist),
 * checked on the lab's libvirt 9.0 where the console can reach the type.
 */

/** libvirt's pool types (`virsh pool-capabilities` lists these; sheepdog was removed in 8.8), in the wizard's order. */
export const POOL_TYPES = ['dir', 'fs', 'netfs', 'logical', 'iscsi', 'iscsi-direct', 'disk', 'scsi', 'mpath', 'gluster', 'rbd', 'zfs', 'vstorage'] as const;
export type PoolTypeName = (typeof POOL_TYPES)[number];

/** The wizard can create these (the POST /pools schema's enum); vstorage is read and managed, not created. */
export const CREATABLE_POOL_TYPES = ['dir', 'fs', 'netfs', 'logical', 'iscsi', 'iscsi-direct', 'disk', 'scsi', 'mpath', 'gluster', 'rbd', 'zfs'] as const satisfies readonly PoolTypeName[];
export type CreatablePoolType = (typeof CREATABLE_POOL_TYPES)[number];

/** The <source> children a type takes (each a field of the wizard and of `PoolCreateInput.source`). */
export type SourceField = 'host' | 'port' | 'dir' | 'device' | 'devices' | 'name' | 'format' | 'protocol' | 'initiator' | 'adapter' | 'auth';

export interface PoolTypeSpec {
  type: PoolTypeName;
  label: string;
  /** One line: when to use it. */
  blurb: string;
  /**
   * Where the volumes are: `file` — image files in a directory of the host (the target: a
   * directory or a mount point); `device` — block devices of the host (LVs, partitions, LUNs,
   * zvols); `network` — images QEMU reaches over the network (Ceph, Gluster), no host path.
   */
  backing: 'file' | 'device' | 'network';
  /** The <source> fields this type takes, in the wizard's order. */
  source: readonly SourceField[];
  /** `<source><device path>` names local block devices (checked against the host's allowed devices). */
  localSourceDevices: boolean;
  /**
   * The <target><path>: `dir` — a directory (file pools: inside the allowed roots); `dev` — where
   * libvirt finds the device nodes (must stay under /dev); null — the type takes no target.
   */
  target: 'dir' | 'dev' | null;
  /** What `pool-build` does, or null when libvirt has nothing to build for the type. */
  build: {
    /** ONE text, said in the wizard, the plan's step title and the overwrite confirmation. */
    effect: string;
    /** Building formats a device (mkfs, pvcreate, partition table): takes `--overwrite`/`--no-overwrite`, and overwrite is a guarded choice. */
    formats: boolean;
    /** Whether the wizard ticks Build for a new pool of this type. */
    byDefault: boolean;
  } | null;
  /** What libvirt does with volumes of this type: a LUN or multipath map is made on the storage, not here. */
  volumes: { create: boolean; resize: boolean; delete: boolean };
  /** What `pool-delete` does to the storage, or null: libvirt cannot delete it ("pool does not support pool deletion"). */
  deleteStorage: string | null;
  /** libvirt mounts the source on the target when the pool starts (stopping unmounts it). */
  mounts: boolean;
  /**
   * `find-storage-pool-sources`: `yes` — the console offers it; `no` — libvirt has none for the
   * type; `unsafe` — libvirt has one, but the console refuses it (iscsi-direct's crashed libvirtd 9.0).
   */
  discovery: 'yes' | 'no' | 'unsafe';
}

const NO_VOLUME_WRITES = { create: false, resize: false, delete: false } as const;
const ALL_VOLUME_WRITES = { create: true, resize: true, delete: true } as const;

/** The seed's five first, then the rest (the wizard's order). */
export const POOL_TYPE_TABLE: readonly PoolTypeSpec[] = [
  {
    type: 'dir',
    label: 'Directory',
    blurb: 'File-based: volumes are image files in a directory of the host — the simplest pool, good for local qcow2 images.',
    backing: 'file',
    source: [],
    localSourceDevices: false,
    target: 'dir',
    build: { effect: 'creates the target directory with the given permissions', formats: false, byDefault: true },
    volumes: ALL_VOLUME_WRITES,
    deleteStorage: 'removes the target directory, only if it is empty: volumes in it make pool-delete fail',
    mounts: false,
    discovery: 'no',
  },
  {
    type: 'fs',
    label: 'Filesystem',
    blurb: 'A block device (disk, partition, LUN) with a filesystem that libvirt mounts; volumes are files on it.',
    backing: 'file',
    source: ['device', 'format'],
    localSourceDevices: true,
    target: 'dir',
    build: { effect: 'formats the source device with the chosen filesystem (mkfs) — refused if it already holds one, unless overwrite is allowed', formats: true, byDefault: false },
    volumes: ALL_VOLUME_WRITES,
    deleteStorage: 'removes the mount point directory (not the data on the device)',
    mounts: true,
    discovery: 'no',
  },
  {
    type: 'netfs',
    label: 'Network filesystem',
    blurb: 'An NFS (or CIFS/Gluster) export mounted by libvirt: shared storage, so VMs can migrate between hosts.',
    backing: 'file',
    source: ['host', 'dir', 'format', 'protocol'],
    localSourceDevices: false,
    target: 'dir',
    build: { effect: 'creates the local mount point', formats: false, byDefault: true },
    volumes: ALL_VOLUME_WRITES,
    deleteStorage: 'removes the mount point directory (not the data on the export)',
    mounts: true,
    discovery: 'yes',
  },
  {
    type: 'logical',
    label: 'LVM volume group',
    blurb: 'Device-based: volumes are LVM logical volumes — fast raw block devices, with LVM snapshots and easy growth.',
    backing: 'device',
    source: ['name', 'devices'],
    localSourceDevices: true,
    target: 'dev',
    // byDefault off: the wizard starts on "use an existing volume group"; choosing "new" ticks it.
    build: { effect: 'creates a physical volume on each device and the volume group on them — this wipes the devices', formats: true, byDefault: false },
    // libvirt 9.0's logical backend has no vol-resize: the console resizes with lvresize.
    volumes: ALL_VOLUME_WRITES,
    deleteStorage: 'removes the volume group and its logical volumes: all their data is lost',
    mounts: false,
    discovery: 'yes',
  },
  {
    type: 'iscsi',
    label: 'iSCSI target',
    blurb: 'LUNs of an iSCSI target, logged in through the host’s open-iscsi; volumes are the LUNs (created on the SAN, not here).',
    backing: 'device',
    source: ['host', 'port', 'device', 'initiator', 'auth'],
    localSourceDevices: false,
    target: 'dev',
    build: null,
    volumes: NO_VOLUME_WRITES,
    deleteStorage: null,
    mounts: false,
    discovery: 'yes',
  },
  {
    type: 'iscsi-direct',
    label: 'iSCSI (direct, libiscsi)',
    blurb: 'LUNs of an iSCSI target reached by QEMU itself (libiscsi): no login on the host, needs an initiator IQN.',
    backing: 'device',
    source: ['host', 'port', 'device', 'initiator', 'auth'],
    localSourceDevices: false,
    target: null,
    build: null,
    volumes: NO_VOLUME_WRITES,
    deleteStorage: null,
    mounts: false,
    discovery: 'unsafe',
  },
  {
    type: 'disk',
    label: 'Physical disk',
    blurb: 'A whole disk whose partitions are the volumes; libvirt manages the partition table.',
    backing: 'device',
    source: ['device', 'format'],
    localSourceDevices: true,
    target: 'dev',
    build: { effect: 'writes a new partition table to the device — this wipes it', formats: true, byDefault: false },
    // Partitions are made and removed, not resized.
    volumes: { create: true, resize: false, delete: true },
    deleteStorage: 'wipes the partition table of the device: all its partitions are lost',
    mounts: false,
    discovery: 'no',
  },
  {
    type: 'scsi',
    label: 'SCSI host adapter',
    blurb: 'The LUNs a SCSI/HBA adapter (e.g. host0, or an NPIV vHBA) presents to the host.',
    backing: 'device',
    source: ['adapter'],
    localSourceDevices: false,
    target: 'dev',
    build: null,
    volumes: NO_VOLUME_WRITES,
    deleteStorage: null,
    mounts: false,
    discovery: 'no',
  },
  {
    type: 'mpath',
    label: 'Multipath',
    blurb: 'Every multipath device under /dev/mapper (read-only listing: volumes come from the SAN).',
    backing: 'device',
    source: [],
    localSourceDevices: false,
    target: 'dev',
    build: null,
    volumes: NO_VOLUME_WRITES,
    deleteStorage: null,
    mounts: false,
    discovery: 'no',
  },
  {
    type: 'gluster',
    label: 'GlusterFS (native)',
    blurb: 'A Gluster volume accessed by QEMU’s gluster driver, without a mount on the host.',
    backing: 'network',
    source: ['host', 'name', 'dir'],
    localSourceDevices: false,
    target: null,
    build: null,
    volumes: ALL_VOLUME_WRITES,
    deleteStorage: null,
    mounts: false,
    discovery: 'yes',
  },
  {
    type: 'rbd',
    label: 'Ceph RBD',
    blurb: 'RADOS block devices in a Ceph pool, accessed by QEMU directly; scales out across a cluster.',
    backing: 'network',
    source: ['host', 'port', 'name'],
    localSourceDevices: false,
    target: null,
    build: null,
    volumes: ALL_VOLUME_WRITES,
    deleteStorage: null,
    mounts: false,
    discovery: 'no',
  },
  {
    type: 'zfs',
    label: 'ZFS',
    blurb: 'A ZFS pool whose zvols are the volumes: checksums, snapshots and compression on the host.',
    backing: 'device',
    source: ['name', 'devices'],
    localSourceDevices: true,
    target: null,
    // zpool create refuses devices in use by itself; libvirt's zfs build takes no overwrite flags.
    build: { effect: 'creates the zpool on the devices — this wipes them', formats: false, byDefault: false },
    volumes: ALL_VOLUME_WRITES,
    deleteStorage: 'destroys the zpool and its zvols: all their data is lost',
    mounts: false,
    discovery: 'no',
  },
  {
    type: 'vstorage',
    label: 'Virtuozzo Storage',
    blurb: 'A Virtuozzo Storage cluster mounted by libvirt; volumes are files on it.',
    backing: 'file',
    source: ['name'],
    localSourceDevices: false,
    target: 'dir',
    build: { effect: 'creates the local mount point', formats: false, byDefault: true },
    volumes: ALL_VOLUME_WRITES,
    deleteStorage: 'removes the mount point directory (not the data in the cluster)',
    mounts: true,
    discovery: 'no',
  },
];

const BY_TYPE: ReadonlyMap<string, PoolTypeSpec> = new Map(POOL_TYPE_TABLE.map((s) => [s.type, s]));

/** The spec of a type, or undefined for a name libvirt does not have (the lookup is a Map: `constructor` is no type). */
export const poolTypeSpec = (type: string): PoolTypeSpec | undefined => BY_TYPE.get(type);

/** The spec of a type the caller knows is one (a parsed enum value). */
export function specOf(type: PoolTypeName): PoolTypeSpec {
  const s = BY_TYPE.get(type);
  if (!s) throw new Error(`unknown pool type ${type}`);
  return s;
}

// The questions callers ask; an unknown type answers no to each.

/** Volumes are image files in the pool's target directory (dir, fs, netfs, vstorage). */
export const isFilePool = (type: string) => poolTypeSpec(type)?.backing === 'file';
/** pool-build does something for this type. */
export const canBuild = (type: string) => Boolean(poolTypeSpec(type)?.build);
/** pool-build formats a device: takes `--overwrite`/`--no-overwrite` (fs, disk, logical). */
export const buildFormats = (type: string) => Boolean(poolTypeSpec(type)?.build?.formats);
/** What pool-build does, in words (undefined when it does nothing). */
export const buildEffect = (type: string): string | undefined => poolTypeSpec(type)?.build?.effect;
export const buildsByDefault = (type: string) => Boolean(poolTypeSpec(type)?.build?.byDefault);
export const canCreateVolumes = (type: string) => Boolean(poolTypeSpec(type)?.volumes.create);
export const canResizeVolumes = (type: string) => Boolean(poolTypeSpec(type)?.volumes.resize);
export const canDeleteVolumes = (type: string) => Boolean(poolTypeSpec(type)?.volumes.delete);
/** `pool-delete` can delete the storage. */
export const canDeleteStorage = (type: string) => Boolean(poolTypeSpec(type)?.deleteStorage);
/** libvirt mounts the source on the target (fs, netfs, vstorage). */
export const mountsSource = (type: string) => Boolean(poolTypeSpec(type)?.mounts);
/** Has a <target><path> element. */
export const hasTarget = (type: string) => Boolean(poolTypeSpec(type)?.target);
/** The target is where device nodes appear: it must stay under /dev. */
export const targetUnderDev = (type: string) => poolTypeSpec(type)?.target === 'dev';
/** `<source><device>` are local block devices (policy-checked). */
export const hasLocalSourceDevices = (type: string) => Boolean(poolTypeSpec(type)?.localSourceDevices);
export const usesSourceField = (type: string, field: SourceField) => Boolean(poolTypeSpec(type)?.source.includes(field));

/** The types answering yes to a question, e.g. for an error's detail ("supported": [...]). */
export const poolTypesWhere = (q: (s: PoolTypeSpec) => boolean): PoolTypeName[] => POOL_TYPE_TABLE.filter(q).map((s) => s.type);
