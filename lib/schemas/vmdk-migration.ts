import { z } from 'zod';
import { ImageInfoDto, VolumeDto } from './volume';
import { OperationResult, Qcow2Options, VolumeName, VolumeRef } from './volume-ops';

/**
 * The guided VMware vmdk → qcow2 migration (issue 4): what the server found out about a vmdk
 * (qemu-img info's vmdk data, the descriptor, the extent files, qemu-img measure) and what it
 * refuses, plus the convert request of the flow.
 */

/** One extent (data file) of a vmdk: from qemu-img info when it can open the image, else from the descriptor. */
export const VmdkExtentDto = z.object({
  /** Absolute path on the host (relative descriptor names resolved against the descriptor's directory). */
  path: z.string(),
  /** As the descriptor or qemu-img spells it: SPARSE, FLAT, VMFS, … ("" for a streamOptimized grain extent). */
  type: z.string(),
  virtualSize: z.number().int().nullable(),
  compressed: z.boolean(),
  /** null when not checked (the extent is the image file itself). */
  exists: z.boolean().nullable(),
  /** Bytes on the host (stat), when it exists. */
  size: z.number().int().nullable(),
  /** Outside the descriptor's directory: refused (a descriptor could point at any host file). */
  outside: z.boolean(),
});
export type VmdkExtentDto = z.infer<typeof VmdkExtentDto>;

/** What the vmdk's descriptor says (embedded in sparse/streamOptimized files, or the file itself). */
export const VmdkDescriptorDto = z.object({
  version: z.string().nullable(),
  createType: z.string().nullable(),
  cid: z.string().nullable(),
  parentCid: z.string().nullable(),
  parentFileNameHint: z.string().nullable(),
  extents: z.array(z.object({ access: z.string(), sectors: z.number(), type: z.string(), file: z.string().nullable(), offset: z.number().nullable() })),
  /** ddb.* entries: adapterType, virtualHWVersion, geometry.*, toolsVersion, uuid … */
  ddb: z.record(z.string(), z.string()),
  /** The descriptor text as read (at most 8 KiB). */
  text: z.string(),
});
export type VmdkDescriptorDto = z.infer<typeof VmdkDescriptorDto>;

export const VmdkProblem = z.object({
  /** A code a script can act on: not-vmdk, extent-missing, extent-outside, extent-file, volume-in-use, unreadable, not-a-file, delta, dirty, used-by-vm, libvirt-format. */
  code: z.string(),
  /** block: the flow refuses; warn: it goes on, with this said; info: good to know. */
  severity: z.enum(['block', 'warn', 'info']),
  message: z.string(),
});
export type VmdkProblem = z.infer<typeof VmdkProblem>;

/** GET /api/hosts/{id}/pools/{pool}/volumes/{vol}/vmdk */
export const VmdkInspectDto = z.object({
  volume: VolumeDto,
  /** The commands that were run to find this out. */
  commands: z.array(z.string()),
  /** qemu-img info (probed: no -f, so qemu says what the file is); null when it could not open it. */
  info: ImageInfoDto.nullable(),
  infoError: z.string().nullable(),
  /** vmdk subformat (create-type): streamOptimized, monolithicSparse, monolithicFlat, twoGbMaxExtentSparse, twoGbMaxExtentFlat, vmfs, … */
  subformat: z.string().nullable(),
  adapterType: z.string().nullable(),
  hwVersion: z.string().nullable(),
  extents: z.array(VmdkExtentDto),
  descriptor: VmdkDescriptorDto.nullable(),
  /** qemu-img measure -O qcow2: bytes the new image needs now, and if the guest fills every block. */
  measure: z.object({ required: z.number(), fullyAllocated: z.number() }).nullable(),
  runningUsers: z.array(z.string()),
  problems: z.array(VmdkProblem),
  /** No problem of severity block. */
  ok: z.boolean(),
});
export type VmdkInspectDto = z.infer<typeof VmdkInspectDto>;

/** POST …/volumes/{vol}/vmdk/convert */
export const VmdkConvertInput = z.object({
  name: VolumeName,
  pool: z.string().min(1),
  compress: z.boolean().default(false),
  options: Qcow2Options.default({}),
  dryRun: z.boolean().default(false),
});
export type VmdkConvertInput = z.input<typeof VmdkConvertInput>;

export const SpaceCheckDto = z.object({
  pool: z.string(),
  available: z.number(),
  required: z.number(),
  fullyAllocated: z.number(),
  /** fits: even a full guest disk fits; thin: fits now, not if the guest fills it; short: does not fit now. */
  verdict: z.enum(['fits', 'thin', 'short']),
});
export type SpaceCheckDto = z.infer<typeof SpaceCheckDto>;

export const VmdkConvertResult = OperationResult.extend({ space: SpaceCheckDto, destination: z.string() });
export type VmdkConvertResult = z.infer<typeof VmdkConvertResult>;

/** POST …/volumes/{vol}/vmdk/compare */
export const VmdkCompareInput = z.object({ other: VolumeRef });
export const VmdkCompareResult = z.object({ identical: z.boolean(), message: z.string(), command: z.string() });
export type VmdkCompareResult = z.infer<typeof VmdkCompareResult>;
