import { z } from 'zod';
import { StepDto } from './operation';

export const DomainState = z.enum(['running', 'blocked', 'paused', 'shutdown', 'shut off', 'crashed', 'pmsuspended', 'unknown']);

export const DiskDto = z.object({
  target: z.string(), // vda
  bus: z.string().nullable(), // virtio, scsi, sata, ide, usb
  device: z.string(), // disk, cdrom, floppy, lun
  type: z.string(), // file, block, volume, network
  source: z.string().nullable(), // path (file/block), pool/volume (volume), protocol:name (network)
  sourcePool: z.string().nullable(),
  sourceVolume: z.string().nullable(),
  format: z.string().nullable(), // driver type
  cache: z.string().nullable(),
  readonly: z.boolean(),
  shareable: z.boolean(),
});
export type DiskDto = z.infer<typeof DiskDto>;

/** GET /api/hosts/{id}/domains item. */
export const DomainDto = z.object({
  name: z.string(),
  uuid: z.string(),
  state: DomainState,
  persistent: z.boolean(),
  vcpus: z.number().int(),
  memory: z.number().int(), // bytes
  disks: z.array(DiskDto),
});
export type DomainDto = z.infer<typeof DomainDto>;

// ---------------------------------------------------------------------------------------------
// VM detail, disk attach/detach and snapshots (issue 5)

/** One image of a disk's chain: the disk's own file first, its base last. */
export const ChainImageDto = z.object({
  path: z.string(),
  format: z.string().nullable(),
  virtualSize: z.number().int().nullable(),
  actualSize: z.number().int().nullable(),
  /** The pool volume at this path, when one of the host's pools holds it. */
  pool: z.string().nullable(),
  volume: z.string().nullable(),
  /** qcow2 internal snapshots stored in this image (qemu-img's view; libvirt's own are listed apart). */
  imageSnapshots: z.array(z.string()),
});
export type ChainImageDto = z.infer<typeof ChainImageDto>;

export const DiskDetailDto = DiskDto.extend({
  /** Where this disk is defined: in the running VM, in its persistent config, or both. */
  inLive: z.boolean(),
  inConfig: z.boolean(),
  io: z.string().nullable(),
  discard: z.string().nullable(),
  serial: z.string().nullable(),
  /** The pool and volume holding `source`, found by path (file/block disks). */
  volumePool: z.string().nullable(),
  volumeName: z.string().nullable(),
  chain: z.array(ChainImageDto),
  chainError: z.string().nullable(),
});
export type DiskDetailDto = z.infer<typeof DiskDetailDto>;

export const BusOptionDto = z.object({
  bus: z.string(),
  /** Whether a disk on this bus can be plugged into the running VM now, and if not why. */
  live: z.boolean(),
  liveReason: z.string().nullable(),
  nextTarget: z.string(),
});
export type BusOptionDto = z.infer<typeof BusOptionDto>;

export const SnapshotDto = z.object({
  name: z.string(),
  description: z.string().nullable(),
  parent: z.string().nullable(),
  children: z.array(z.string()),
  /** Seconds since the epoch. */
  creationTime: z.number().int(),
  /** The VM's state when it was taken (`disk-snapshot` for a disk-only one). */
  state: z.string(),
  current: z.boolean(),
  /** internal: inside the qcow2 files; external: new overlay files took the writes. */
  location: z.enum(['internal', 'external', 'mixed', 'none']),
  memory: z.enum(['internal', 'external', 'no']),
  diskOnly: z.boolean(),
  disks: z.array(z.object({ name: z.string(), snapshot: z.string(), file: z.string().nullable() })),
  /** Whether this host's libvirt can revert to / delete it, and if not why. */
  canRevert: z.boolean(),
  revertBlocker: z.string().nullable(),
  canDelete: z.boolean(),
  deleteBlocker: z.string().nullable(),
});
export type SnapshotDto = z.infer<typeof SnapshotDto>;

export const SnapshotListDto = z.object({
  current: z.string().nullable(),
  /** Creation order (oldest first). */
  snapshots: z.array(SnapshotDto),
  /** `virsh snapshot-list --tree` as libvirt prints it. */
  tree: z.string(),
});
export type SnapshotListDto = z.infer<typeof SnapshotListDto>;

/** GET /api/hosts/{id}/domains/{vm}. */
export const DomainDetailDto = z.object({
  domain: DomainDto.omit({ disks: true }).extend({
    virtType: z.string(),
    machine: z.string().nullable(),
    arch: z.string().nullable(),
    acpi: z.boolean(),
    guestAgent: z.boolean(),
    autostart: z.boolean(),
  }),
  disks: z.array(DiskDetailDto),
  buses: z.array(BusOptionDto),
  snapshots: SnapshotListDto,
  xml: z.string(),
  inactiveXml: z.string(),
});
export type DomainDetailDto = z.infer<typeof DomainDetailDto>;

const NoControl = (what: string) => z.string().min(1, `${what} is empty`).max(255).regex(/^[^\x00-\x1f\x7f]+$/, `${what} cannot contain control characters`);
export const DiskBus = z.enum(['virtio', 'scsi', 'sata', 'ide', 'usb']);
export const DiskCache = z.enum(['default', 'none', 'writeback', 'writethrough', 'directsync', 'unsafe']);
export const DiskIo = z.enum(['default', 'native', 'threads', 'io_uring']);
export const DiskDiscard = z.enum(['default', 'unmap', 'ignore']);

/** POST /api/hosts/{id}/domains/{vm}/disks body. */
export const AttachDiskInput = z
  .object({
    source: z.union([
      z.object({ pool: NoControl('pool'), volume: NoControl('volume') }),
      z.object({ path: z.string().regex(/^\/[^\x00-\x1f\x7f]*$/, 'an absolute path, starting with /') }),
      z.object({
        create: z.object({
          pool: NoControl('pool'),
          name: NoControl('volume name').refine((s) => !s.includes('/'), 'a volume name cannot contain “/”'),
          capacity: z.number().int().positive(),
          format: z.enum(['qcow2', 'raw']).default('qcow2'),
        }),
      }),
    ]),
    device: z.enum(['disk', 'cdrom']).default('disk'),
    target: z.string().regex(/^(vd|sd|hd)[a-z]{1,3}$/, 'a target such as vdb, sdc or hdc').optional(),
    bus: DiskBus.default('virtio'),
    cache: DiskCache.default('default'),
    io: DiskIo.default('default'),
    discard: DiskDiscard.default('default'),
    readonly: z.boolean().default(false),
    shareable: z.boolean().default(false),
    serial: z.string().regex(/^[A-Za-z0-9_.+-]{1,20}$/, 'up to 20 letters, digits, _ . + -').optional(),
    live: z.boolean().default(true),
    persistent: z.boolean().default(true),
    dryRun: z.boolean().default(false),
  })
  .refine((b) => b.live || b.persistent, { message: 'choose live, persistent or both', path: ['live'] });
export type AttachDiskInput = z.input<typeof AttachDiskInput>;

/** DELETE /api/hosts/{id}/domains/{vm}/disks/{target} body (or query). */
export const DetachDiskInput = z
  .object({
    live: z.boolean().default(true),
    persistent: z.boolean().default(true),
    /** How long to wait for the guest to release the device on a live detach. */
    waitMs: z.number().int().min(0).max(120_000).default(10_000),
    deleteVolume: z.boolean().default(false),
    confirm: z.string().optional(),
    dryRun: z.boolean().default(false),
  })
  .refine((b) => b.live || b.persistent, { message: 'choose live, persistent or both', path: ['live'] });
export type DetachDiskInput = z.input<typeof DetachDiskInput>;

export const SnapshotName = z
  .string()
  .min(1, 'a snapshot needs a name')
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.+:@-]*$/, 'letters, digits and _ . + : @ - (starting with a letter or digit)');

/** POST /api/hosts/{id}/domains/{vm}/snapshots body. */
export const SnapshotCreateInput = z.object({
  name: SnapshotName,
  description: z.string().max(1000).regex(/^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$/, 'no control characters').optional(),
  kind: z.enum(['internal', 'external']).default('internal'),
  /** internal only: include the running VM's memory (a checkpoint). Ignored when the VM is off. */
  memory: z.boolean().default(true),
  /** external only: per-disk overlay file; default `<dir>/<image stem>.<snapshot>.qcow2`. Disks left out keep no snapshot only when `exclude`d. */
  disks: z.array(z.object({ target: z.string().regex(/^[a-z]{2,4}$/), file: z.string().regex(/^\/[^\x00-\x1f\x7f]*$/).optional(), exclude: z.boolean().default(false) })).default([]),
  quiesce: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});
export type SnapshotCreateInput = z.input<typeof SnapshotCreateInput>;


/** What a mutating domain request ran (or, for a dry run, would run). */
export const DomainActionResultDto = z.object({
  dryRun: z.boolean(),
  ok: z.boolean(),
  message: z.string(),
  xml: z.string().nullable(),
  steps: z.array(StepDto),
  /** Things this action discards or deletes, stated before the user confirms. */
  discards: z.array(z.string()).default([]),
  warnings: z.array(z.string()).default([]),
});
export type DomainActionResultDto = z.infer<typeof DomainActionResultDto>;
