import 'server-only';
import { isFilePool } from '@/lib/pool-types';
import { command } from '../commands/command';
import type { HostConfig } from '../hosts/inventory';
import { hostStorage } from '../hosts/storage-cache';
import { transportFor } from '../hosts/transports';
import type { Transport } from '../transport/types';
import type { HostStorage } from '../virsh/read-host';
import { isInsideAny, normalizePath, type PolicyLists } from './path-match';

/**
 * The per-host path policy: which host paths the console may point libvirt or qemu-img at.
 *
 * - `allowedRoots`: directories under which pool targets, attach-by-path files, CD-ROM media,
 *   external-snapshot overlays and convert/clone destinations must lie. The inventory's
 *   `allowedRoots` (default: DEFAULT_ROOTS), plus the target directory of every existing
 *   dir/fs/netfs pool of the host.
 * - `allowedDevices`: block devices that may be a pool source or be attached by path. The
 *   inventory's `allowedDevices`, else what `lsblk` shows free: not mounted (nor a partition of
 *   it), not an LVM physical volume, not a pool's source, not a running VM's disk, not holding
 *   the root filesystem.
 * - Backing files (every level of `qemu-img info --backing-chain`) and vmdk extents of an image
 *   the console reads or writes must lie inside a pool: a file pool's directory, or a volume of
 *   any pool.
 *
 * Every path is resolved on the host (`realpath -m -z`, symlinks followed, one round trip for all
 * of them) before it is compared, and so are the roots. A root is matched by prefix up to a `/`
 * boundary; `/` itself is never a root, and a path with a `..` segment is never inside.
 *
 * This file: the policy of a host (its lists, from the inventory, the host read and lsblk).
 * path-match.ts matches paths against it (pure); require-paths.ts resolves and refuses.
 */

/** Where libvirt keeps images, and where the pool wizard mounts fs and netfs pools by default. */
export const DEFAULT_ROOTS = ['/var/lib/libvirt/images', '/var/lib/libvirt/fs', '/var/lib/libvirt/netfs'];

/**
 * A host's policy: the lists (as configured or defaulted, before resolution: what the UI shows),
 * where they came from.
 */
export interface PathPolicy extends PolicyLists {
  /** As configured or defaulted, before resolution (what the UI shows). */
  allowedRoots: string[];
  allowedDevices: string[];
  /** The directories of the host's file pools, and every pool volume's path. */
  poolDirs: string[];
  poolVolumes: string[];
  /** Whether `allowedDevices` came from the inventory (else from lsblk). */
  devicesFromInventory: boolean;
  /** False when lsblk was not asked (no device was in question): `allowedDevices` is then empty. */
  devicesKnown: boolean;
}

type PolicyHost = Pick<HostConfig, 'id' | 'allowedRoots' | 'allowedDevices'>;

/** The policy's inputs from a host read (pure): roots, pool dirs, volumes, and what makes a device busy. */
export function policyFromStorage(host: PolicyHost, storage: Pick<HostStorage, 'pools' | 'volumes' | 'domains'>) {
  const poolDirs = storage.pools
    .filter((p) => isFilePool(p.type) && p.target.path)
    .map((p) => normalizePath(p.target.path!))
    .filter((p): p is string => !!p && p !== '/');
  const allowedRoots = [...new Set([...(host.allowedRoots ?? DEFAULT_ROOTS), ...poolDirs].map((r) => normalizePath(r)).filter((r): r is string => !!r && r !== '/'))];
  // Volumes inside a file pool's directory are covered by it; the rest (LVs, partitions, LUNs) are listed.
  const poolVolumes = [...storage.volumes.values()].flat().map((v) => v.path).filter((p) => p.startsWith('/') && !isInsideAny(poolDirs, p));
  const busy = new Set<string>();
  for (const p of storage.pools) for (const d of p.source.devices ?? []) busy.add(d);
  for (const d of storage.domains) for (const disk of d.disks) if (disk.type === 'block' && disk.source) busy.add(disk.source);
  return { allowedRoots, poolDirs, poolVolumes, busy };
}

async function lsblkFree(t: Transport, busy: Set<string>): Promise<string[]> {
  const lsblk = command('lsblk', '--json', '--bytes', '--paths', '--output', 'NAME,TYPE,FSTYPE,MOUNTPOINT,SIZE');
  const root = command('findmnt', '--noheadings', '--output', 'SOURCE', '/');
  const [a, b] = await Promise.all([t.exec(lsblk, { timeoutMs: 30_000 }), t.exec(root, { timeoutMs: 30_000 })]);
  if (a.exitCode !== 0) return []; // no lsblk: no device is offered unless the inventory lists some
  const rootSource = b.exitCode === 0 ? b.stdout.trim() : '';
  if (rootSource.startsWith('/')) busy.add(rootSource);
  return freeDevices(parseLsblk(a.stdout), busy);
}

/**
 * The host's policy, from a host read (the cached one unless `fresh`) and, without inventory
 * devices, lsblk — asked only when `devices` (default true) says a device is in question.
 */
export async function hostPathPolicy(host: HostConfig, opts: { fresh?: boolean; storage?: HostStorage; devices?: boolean } = {}): Promise<PathPolicy> {
  const storage = opts.storage ?? (await hostStorage(host, { fresh: opts.fresh ?? false }));
  const base = policyFromStorage(host, storage);
  const ask = opts.devices ?? true;
  const allowedDevices = host.allowedDevices ?? (ask ? await lsblkFree(transportFor(host), base.busy) : []);
  return {
    allowedRoots: base.allowedRoots,
    allowedDevices,
    poolDirs: base.poolDirs,
    poolVolumes: base.poolVolumes,
    devicesFromInventory: !!host.allowedDevices,
    devicesKnown: !!host.allowedDevices || ask,
  };
}

/** `lsblk --json --paths --output NAME,TYPE,FSTYPE,MOUNTPOINT,SIZE` as nested devices. */
export interface LsblkDevice {
  name: string;
  type?: string | null;
  fstype?: string | null;
  mountpoint?: string | null;
  size?: number | string | null;
  children?: LsblkDevice[];
}

/**
 * The block devices free for the console to use: a leaf-to-root walk of lsblk's tree where a
 * device counts as busy when it, one of its children (partitions, LVs, dm maps) or one of its
 * parents is mounted (swap included), is an LVM physical volume, or is in `busy` (pool
 * sources, VM disks, the root filesystem's source). Devices of size 0 (empty loop, zram) are left out.
 */
export function freeDevices(tree: LsblkDevice[], busy: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const selfBusy = (d: LsblkDevice) => !!d.mountpoint || d.fstype === 'LVM2_member' || busy.has(d.name);
  const subtreeBusy = (d: LsblkDevice): boolean => selfBusy(d) || (d.children ?? []).some(subtreeBusy);
  const walk = (d: LsblkDevice, parentBusy: boolean) => {
    const mine = parentBusy || selfBusy(d);
    if (!mine && !subtreeBusy(d) && Number(d.size ?? 0) > 0 && d.type !== 'rom') out.push(d.name);
    for (const c of d.children ?? []) walk(c, mine);
  };
  for (const d of tree) walk(d, false);
  return [...new Set(out)];
}

export function parseLsblk(json: string): LsblkDevice[] {
  const data = JSON.parse(json) as { blockdevices?: LsblkDevice[] };
  return Array.isArray(data.blockdevices) ? data.blockdevices : [];
}

/** What the host DTO shows (GET /api/hosts/{id}): the configured or default lists, nothing else. */
export async function pathPolicyDto(host: HostConfig, storage: HostStorage): Promise<{ allowedRoots: string[]; allowedDevices: string[] }> {
  const p = await hostPathPolicy(host, { storage });
  return { allowedRoots: p.allowedRoots, allowedDevices: p.allowedDevices };
}

