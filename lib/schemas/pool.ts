import { z } from 'zod';

export const PoolState = z.enum(['inactive', 'building', 'running', 'degraded', 'inaccessible']);
export type PoolState = z.infer<typeof PoolState>;

export const Permissions = z.object({
  mode: z.string().optional(),
  owner: z.string().optional(),
  group: z.string().optional(),
  label: z.string().optional(),
});

/** The <source> element of libvirt's pool XML, flattened (https://libvirt.org/formatstorage.html). */
export const PoolSource = z.object({
  host: z.string().optional(), // first <host name=…>
  port: z.number().int().optional(),
  hosts: z.array(z.object({ name: z.string(), port: z.number().int().optional() })).default([]),
  dir: z.string().optional(), // <dir path=…> (netfs export path, gluster dir)
  device: z.string().optional(), // first <device path=…> (block device, IQN for iscsi)
  devices: z.array(z.string()).default([]), // every <device path=…>
  name: z.string().optional(), // <name> (VG for logical, rbd pool …)
  format: z.string().optional(), // <format type=…>
  adapter: z.record(z.string(), z.string()).optional(), // scsi <adapter …> attributes
  initiator: z.string().optional(), // <initiator><iqn name=…>
  auth: z.object({ type: z.string(), username: z.string(), secretUsage: z.string().optional(), secretUuid: z.string().optional() }).optional(),
  protocolVersion: z.string().optional(), // netfs <protocol ver=…>
});
export type PoolSource = z.infer<typeof PoolSource>;

/** GET /api/hosts/{id}/pools item. Sizes are bytes. */
export const PoolDto = z.object({
  name: z.string(),
  uuid: z.string(),
  type: z.string(), // dir, fs, netfs, logical, disk, iscsi, iscsi-direct, scsi, mpath, rbd, gluster, zfs, vstorage
  state: PoolState,
  autostart: z.boolean(),
  persistent: z.boolean(),
  capacity: z.number().int(),
  allocation: z.number().int(),
  available: z.number().int(),
  source: PoolSource,
  target: z.object({ path: z.string().optional(), permissions: Permissions.optional() }),
  volumeCount: z.number().int().nullable(), // null when the pool is not running (volumes unknown)
  volumeCapacity: z.number().int().nullable(), // sum of volume capacities: thin-provisioning overcommit
});
export type PoolDto = z.infer<typeof PoolDto>;
