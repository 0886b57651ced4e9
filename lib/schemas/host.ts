import { z } from 'zod';

/** Why a host could not be read. `ok` means the last contact worked. */
export const HostStatus = z.enum([
  'ok',
  'connecting', // the list answered before this host did (GET /api/hosts waits a few seconds per host); ask again
  'unreachable', // TCP connect failed or timed out, or the connection froze (keepalive)
  'hostkey-unknown', // no fingerprint pinned for this host: refused before authentication
  'hostkey-changed', // the host presented a key other than the pinned one
  'auth-failed', // the host refused our key
  'libvirt-error', // SSH works, but virsh failed (libvirtd down, URI wrong, not installed)
  'error', // anything else, see error.message
]);
export type HostStatus = z.infer<typeof HostStatus>;

export const ApiErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  detail: z.unknown().optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** GET /api/hosts item. */
export const HostDto = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(), // "user@host:port" for SSH, "local" for this machine
  uri: z.string(), // libvirt URI, e.g. qemu:///system
  transport: z.enum(['ssh', 'local']),
  status: HostStatus,
  error: ApiErrorBody.optional(),
  hostKey: z.string().optional(), // pinned SHA256:… fingerprint
  presentedHostKey: z.string().optional(), // what the host showed, when refused for its key
  hostname: z.string().optional(),
  libvirtVersion: z.string().optional(),
  qemuVersion: z.string().optional(),
  poolCount: z.number().int().optional(),
  activePoolCount: z.number().int().optional(),
  vmCount: z.number().int().optional(),
  runningVmCount: z.number().int().optional(),
  volumeCount: z.number().int().optional(),
  capacity: z.number().int().optional(), // bytes, summed over active pools
  allocation: z.number().int().optional(),
  available: z.number().int().optional(),
  /** GET /api/hosts/{id} only: where the console may point pools, disks, media, overlays and copies (docs/OPERATIONS.md, "Path policy"). */
  pathPolicy: z.object({ allowedRoots: z.array(z.string()), allowedDevices: z.array(z.string()) }).optional(),
});
export type HostDto = z.infer<typeof HostDto>;
