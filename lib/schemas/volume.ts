import { z } from 'zod';

export const BackingStoreDto = z.object({ path: z.string(), format: z.string().nullable() });

/** GET /api/hosts/{id}/pools/{pool}/volumes item. Sizes are bytes. */
export const VolumeDto = z.object({
  name: z.string(),
  pool: z.string(),
  key: z.string(),
  path: z.string(),
  type: z.string(), // file, block, dir, network, netdir, ploop
  format: z.string().nullable(), // qcow2, raw, … (null when libvirt does not say)
  capacity: z.number().int(),
  allocation: z.number().int(),
  physical: z.number().int().nullable(),
  backingStore: BackingStoreDto.nullable(),
  encryption: z.string().nullable(), // "luks" when the image is encrypted (libvirt's <encryption format>)
  usedBy: z.array(z.string()), // names of VMs whose disks point at this volume's path
});
export type VolumeDto = z.infer<typeof VolumeDto>;

/** One image of `qemu-img info --backing-chain --output=json`, reshaped. */
export const ImageInfoDto = z.object({
  filename: z.string(),
  format: z.string(),
  virtualSize: z.number().int(),
  actualSize: z.number().int().nullable(),
  clusterSize: z.number().int().nullable(),
  dirty: z.boolean(),
  encrypted: z.boolean(),
  backingFilename: z.string().nullable(),
  fullBackingFilename: z.string().nullable(),
  backingFormat: z.string().nullable(),
  compat: z.string().nullable(),
  lazyRefcounts: z.boolean().nullable(),
  compressionType: z.string().nullable(),
  corrupt: z.boolean().nullable(),
  snapshots: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      vmStateSize: z.number().int(),
      date: z.string(), // ISO 8601
      vmClock: z.string(), // HH:MM:SS.mmm
      icount: z.number().int().nullable(),
    }),
  ),
});
export type ImageInfoDto = z.infer<typeof ImageInfoDto>;

/** GET /api/hosts/{id}/pools/{pool}/volumes/{vol}: the volume, its XML and its image chain. */
export const VolumeDetailDto = z.object({
  volume: VolumeDto,
  xml: z.string(),
  chain: z.array(ImageInfoDto), // [this image, its backing file, …, the base]
  chainError: z.string().nullable(), // qemu-img's message when the chain could not be read
  overlays: z.array(z.object({ pool: z.string(), name: z.string(), path: z.string() })), // volumes backed by this one
});
export type VolumeDetailDto = z.infer<typeof VolumeDetailDto>;
