import { z } from 'zod';

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
