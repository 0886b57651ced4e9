import { z } from 'zod';
import { parseSize } from '../units';
import { StepDto } from './operation';

/**
 * Inputs and answers of the volume operations (issue 4), shared by the route handlers and the
 * browser's forms, so both sides refuse the same things.
 */

/** A volume name: a file name inside the pool (no `/`, no control characters, not . or ..). */
export const VolumeName = z
  .string()
  .min(1, 'a volume needs a name')
  .max(255, 'at most 255 characters')
  .refine((s) => !s.includes('/'), 'a volume name cannot contain “/”')
  .refine((s) => !/[\x00-\x1f\x7f]/.test(s), 'a volume name cannot contain control characters')
  .refine((s) => s !== '.' && s !== '..', 'a volume name cannot be “.” or “..”');

/** Bytes, or a string with a unit as qemu-img reads it ("10G", "512M"). */
export const Size = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = parseSize(v);
  if (n === null) {
    ctx.addIssue({ code: 'custom', message: 'a size such as 10G, 512M or a number of bytes' });
    return z.NEVER;
  }
  return n;
});

export const VolumeRef = z.object({ pool: z.string().min(1), name: z.string().min(1) });
export type VolumeRef = z.infer<typeof VolumeRef>;

/** Formats qemu-img can create; the host's own list (`qemu-img --help`) narrows it. */
export const CREATE_FORMATS = ['qcow2', 'raw', 'qed', 'vmdk', 'vdi', 'vhdx', 'vpc', 'qcow'] as const;
export const PREALLOCATIONS = ['off', 'metadata', 'falloc', 'full'] as const;

export const Qcow2Options = z.object({
  compat: z.enum(['0.10', '1.1']).optional(),
  /** 512 B … 2 MiB, a power of two. */
  clusterSize: Size.refine((n) => n >= 512 && n <= 2 * 1024 * 1024 && (n & (n - 1)) === 0, 'a power of two from 512 B to 2 MiB').optional(),
  lazyRefcounts: z.boolean().optional(),
  compressionType: z.enum(['zlib', 'zstd']).optional(),
});
export type Qcow2Options = z.infer<typeof Qcow2Options>;

/** POST /api/hosts/{id}/pools/{pool}/volumes */
export const VolumeCreateInput = z.object({
  name: VolumeName,
  format: z.enum(CREATE_FORMATS).default('qcow2'),
  /** Required unless `backing` is given (then the parent's virtual size). */
  capacity: Size.optional(),
  /** libvirt's allocation for device pools (LVM): bytes to reserve now. */
  allocation: Size.optional(),
  preallocation: z.enum(PREALLOCATIONS).optional(),
  backing: VolumeRef.optional(),
  options: Qcow2Options.default({}),
  /**
   * LUKS encryption (qcow2). The passphrase becomes a libvirt secret (usage: the volume's path,
   * so VMs can open the disk) and reaches qemu-img on stdin: never on a command line, never shown.
   */
  encryption: z
    .object({
      format: z.literal('luks').default('luks'),
      passphrase: z.string().min(8, 'a passphrase of at least 8 characters').max(1024, 'at most 1024 characters'),
    })
    .optional(),
  dryRun: z.boolean().default(false),
});
export type VolumeCreateInput = z.input<typeof VolumeCreateInput>;


/** What a create or an operation will do (dryRun) or did. */
export const OperationResult = z.object({
  dryRun: z.boolean(),
  steps: z.array(StepDto),
  xml: z.string().optional(),
  warnings: z.array(z.string()).default([]),
  /** Set when the operation runs as a job. */
  jobId: z.string().optional(),
  result: z.unknown().optional(),
});
export type OperationResult = z.infer<typeof OperationResult>;

export const ResizeInput = z.object({
  capacity: Size,
  confirm: z.string().optional(),
  dryRun: z.boolean().default(false),
});
export const CloneInput = z.object({ name: VolumeName, pool: z.string().optional(), dryRun: z.boolean().default(false) });
export const ConvertInput = z.object({
  name: VolumeName,
  pool: z.string().optional(),
  format: z.enum(CREATE_FORMATS).default('qcow2'),
  compress: z.boolean().default(false),
  options: Qcow2Options.default({}),
  dryRun: z.boolean().default(false),
});
export const WIPE_ALGORITHMS = ['zero', 'nnsa', 'dod', 'bsi', 'gutmann', 'schneier', 'pfitzner7', 'pfitzner33', 'random', 'trim'] as const;
export const WipeInput = z.object({ algorithm: z.enum(WIPE_ALGORITHMS).default('zero'), confirm: z.string().optional(), dryRun: z.boolean().default(false) });
export const CheckInput = z.object({ repair: z.enum(['leaks', 'all']).optional(), job: z.boolean().default(false), dryRun: z.boolean().default(false) });
export const RebaseInput = z.object({
  /** The new backing volume; null makes the image standalone (copies the backing data in). */
  backing: VolumeRef.nullable(),
  unsafe: z.boolean().default(false),
  confirm: z.string().optional(),
  dryRun: z.boolean().default(false),
});
export const CommitInput = z.object({ confirm: z.string().optional(), dryRun: z.boolean().default(false) });
export const AmendInput = z.object({
  compat: z.enum(['0.10', '1.1']).optional(),
  lazyRefcounts: z.boolean().optional(),
  dryRun: z.boolean().default(false),
});
export const CompareInput = z.object({ other: VolumeRef, strict: z.boolean().default(false) });
export const DeleteInput = z.object({ confirm: z.string().optional(), dryRun: z.boolean().default(false) });
export const ImageSnapshotName = z
  .string()
  .min(1)
  .max(128)
  .refine((s) => !/[\x00-\x1f\x7f]/.test(s), 'no control characters');
export const ImageSnapshotCreateInput = z.object({ name: ImageSnapshotName, dryRun: z.boolean().default(false) });
export const SnapshotActionInput = z.object({ confirm: z.string().optional(), dryRun: z.boolean().default(false) });

/** `qemu-img check --output=json`, reshaped. */
export const CheckResult = z.object({
  exitCode: z.number().nullable(),
  verdict: z.enum(['clean', 'leaks', 'corrupt', 'failed', 'unsupported']),
  checkErrors: z.number().int(),
  corruptions: z.number().int(),
  leaks: z.number().int(),
  corruptionsFixed: z.number().int(),
  leaksFixed: z.number().int(),
  totalClusters: z.number().int().nullable(),
  allocatedClusters: z.number().int().nullable(),
  fragmentedClusters: z.number().int().nullable(),
  imageEndOffset: z.number().int().nullable(),
  message: z.string(),
});
export type CheckResult = z.infer<typeof CheckResult>;

/** One run of `qemu-img map --output=json`: data here, zeroes, data from a backing file (depth > 0), or unallocated. */
export const MapExtent = z.object({
  start: z.number(),
  length: z.number(),
  depth: z.number().int(),
  data: z.boolean(),
  zero: z.boolean(),
  present: z.boolean(),
});
export const MapResult = z.object({ virtualSize: z.number(), extents: z.array(MapExtent), merged: z.boolean() });
export type MapResult = z.infer<typeof MapResult>;

export const CompareResult = z.object({ identical: z.boolean(), message: z.string(), command: z.string() });

/** GET /api/hosts/{id}/chains: every backing tree of the host. */
export interface ChainNode {
  path: string;
  pool: string | null;
  name: string | null;
  format: string | null;
  capacity: number | null;
  allocation: number | null;
  usedBy: string[];
  runningUsers: string[];
  children: ChainNode[];
}
export const ChainNode: z.ZodType<ChainNode> = z.lazy(() =>
  z.object({
    path: z.string(),
    pool: z.string().nullable(),
    name: z.string().nullable(),
    format: z.string().nullable(),
    capacity: z.number().nullable(),
    allocation: z.number().nullable(),
    usedBy: z.array(z.string()),
    runningUsers: z.array(z.string()),
    children: z.array(ChainNode),
  }),
);
export const ChainsDto = z.object({ chains: z.array(ChainNode), standalone: z.number().int() });
export type ChainsDto = z.infer<typeof ChainsDto>;

export const VolumeFormatsDto = z.object({
  formats: z.array(z.string()),
  preallocation: z.record(z.string(), z.array(z.string())),
  poolType: z.string(),
  fileBased: z.boolean(),
  /** Encryption formats the host's qemu-img offers for new qcow2 images (["luks"] or []). */
  encryption: z.array(z.string()),
  /** False for pools whose volumes are the storage's own LUNs or devices (iscsi, iscsi-direct, scsi, mpath). */
  canCreate: z.boolean(),
});
export type VolumeFormatsDto = z.infer<typeof VolumeFormatsDto>;
