import 'server-only';
import { poolTypesWhere } from '@/lib/pool-types';
import type { PoolDto, VolumeDto } from '@/lib/schemas';
import { AppError, notFound } from '../errors';
import { findHost, type HostConfig } from '../hosts/inventory';
import { hostStorage } from '../hosts/storage-cache';
import { transportFor } from '../hosts/transports';
import type { Transport } from '../transport/types';
import type { HostStorage } from '../virsh/read-host';

/**
 * Everything a volume operation needs to decide whether it is safe: the volume, its pool, the
 * VMs that use it (and which of them run), and every image that depends on it — overlays,
 * their overlays, across all pools of the host.
 */
export interface Dependant {
  pool: string;
  name: string;
  path: string;
  usedBy: string[];
}

export interface VolumeContext {
  host: HostConfig;
  t: Transport;
  storage: HostStorage;
  pool: PoolDto;
  volume: VolumeDto;
  /** VMs using this volume that are not shut off. */
  runningUsers: string[];
  /** Images whose backing chain contains this one (direct overlays first). */
  dependants: Dependant[];
}

/** What a volume planner reads: the context without the transport (a planner runs nothing). */
export type VolumeRead = Omit<VolumeContext, 't'>;

/** Pools whose volumes are image files in the target directory (from the pool-type table, lib/pool-types.ts). */
export const FILE_POOLS: ReadonlySet<string> = new Set(poolTypesWhere((s) => s.backing === 'file'));

/**
 * The host read behind a guard. It shares the storage cache (a read at most 2 s old; every
 * change made through the console invalidates it), because a fresh read of a host with
 * thousands of volumes costs seconds; `fresh` forces one.
 */
export async function hostContext(hostId: string, opts: { fresh?: boolean } = {}) {
  const host = findHost(hostId);
  const storage = await hostStorage(host, { fresh: opts.fresh ?? false });
  return { host, t: transportFor(host), storage };
}

export function runningVms(storage: HostStorage): Set<string> {
  return new Set(storage.domains.filter((d) => d.state !== 'shut off').map((d) => d.name));
}

export function findPool(storage: HostStorage, hostId: string, pool: string): PoolDto {
  const p = storage.pools.find((x) => x.name === pool);
  if (!p) throw notFound(`Pool “${pool}” on ${hostId}`);
  if (p.state !== 'running') throw new AppError('pool-inactive', `Pool “${pool}” is not running: start it first`, { status: 409 });
  const { xml: _xml, ...dto } = p as PoolDto & { xml?: string };
  return dto;
}

export function findVolume(storage: HostStorage, hostId: string, pool: string, name: string): VolumeDto {
  findPool(storage, hostId, pool);
  const v = (storage.volumes.get(pool) ?? []).find((x) => x.name === name);
  if (!v) throw notFound(`Volume “${name}” in pool “${pool}” on ${hostId}`);
  return v;
}

/** Every volume whose chain passes through `path`, nearest first. */
export function dependantsOf(storage: HostStorage, path: string): Dependant[] {
  const all = [...storage.volumes.values()].flat();
  const out: Dependant[] = [];
  const seen = new Set<string>([path]);
  let frontier = [path];
  while (frontier.length) {
    const next: string[] = [];
    for (const v of all) {
      const parent = v.backingStore?.path;
      if (parent && frontier.includes(parent) && !seen.has(v.path)) {
        seen.add(v.path);
        out.push({ pool: v.pool, name: v.name, path: v.path, usedBy: v.usedBy });
        next.push(v.path);
      }
    }
    frontier = next;
  }
  return out;
}

/**
 * The volume and what guards it. Writes pass `fresh` when they really run (not for a preview),
 * so a VM started or an overlay made behind the console's back in the last seconds still counts.
 */
export async function volumeContext(hostId: string, pool: string, name: string, opts: { fresh?: boolean } = {}): Promise<VolumeContext> {
  const { host, t, storage } = await hostContext(hostId, opts);
  const p = findPool(storage, hostId, pool);
  const volume = findVolume(storage, hostId, pool, name);
  const running = runningVms(storage);
  return {
    host,
    t,
    storage,
    pool: p,
    volume,
    runningUsers: volume.usedBy.filter((vm) => running.has(vm)),
    dependants: dependantsOf(storage, volume.path),
  };
}

/** Find the volume (any pool) at a path; null for a file outside every pool. */
export function volumeByPath(storage: HostStorage, path: string): VolumeDto | null {
  for (const vols of storage.volumes.values()) for (const v of vols) if (v.path === path) return v;
  return null;
}
