import 'server-only';
import path from 'node:path';
import { hasLocalSourceDevices, isFilePool, targetUnderDev } from '@/lib/pool-types';
import { command } from '../commands/command';
import { renderInvocation } from '../commands/shell';
import { AppError } from '../errors';
import type { HostConfig } from '../hosts/inventory';
import { hostStorage } from '../hosts/storage-cache';
import { transportFor } from '../hosts/transports';
import type { Transport } from '../transport/types';
import type { HostStorage } from '../virsh/read-host';

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
 */

/** Where libvirt keeps images, and where the pool wizard mounts fs and netfs pools by default. */
export const DEFAULT_ROOTS = ['/var/lib/libvirt/images', '/var/lib/libvirt/fs', '/var/lib/libvirt/netfs'];

export type PathKind =
  | 'pool-target'
  | 'pool-source'
  | 'attach'
  | 'media'
  | 'overlay'
  | 'destination'
  | 'backing'
  | 'extent';

const KIND_WORDS: Record<PathKind, string> = {
  'pool-target': 'pool target',
  'pool-source': 'pool source device',
  attach: 'disk to attach',
  media: 'CD-ROM medium',
  overlay: 'snapshot overlay file',
  destination: 'destination',
  backing: 'backing file',
  extent: 'vmdk extent',
};

// ------------------------------------------------------------------------------ pure parts

/** Lexically normalised absolute path (no trailing slash), or null when it is not absolute. */
export function normalizePath(p: string): string | null {
  if (!p.startsWith('/') || p.includes('\0')) return null;
  const n = path.posix.normalize(p);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

const hasDotDot = (p: string) => p.split('/').includes('..');

/**
 * Whether `p` lies in `root` (or is `root`): both absolute, already resolved. `/` is never a root,
 * a path that is `/` or has a `..` segment is never inside, and the match stops at a `/` boundary
 * (`/var/lib/libvirt/images2` is not in `/var/lib/libvirt/images`).
 */
export function isInsideRoot(root: string, p: string): boolean {
  if (!root.startsWith('/') || !p.startsWith('/') || hasDotDot(root) || hasDotDot(p)) return false;
  const r = normalizePath(root);
  const q = normalizePath(p);
  if (!r || !q || r === '/' || q === '/') return false;
  return q === r || q.startsWith(r + '/');
}

export const isInsideAny = (roots: readonly string[], p: string) => roots.some((r) => isInsideRoot(r, p));

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

/** Every backing file and vmdk extent named in `qemu-img info --output=json [--backing-chain]`, absolute where qemu-img made them so. */
export function referencedFiles(infoJson: string): Array<{ path: string; kind: 'backing' | 'extent'; of: string }> {
  const data: unknown = JSON.parse(infoJson);
  const images = (Array.isArray(data) ? data : [data]) as Array<Record<string, unknown>>;
  const out: Array<{ path: string; kind: 'backing' | 'extent'; of: string }> = [];
  images.forEach((img, i) => {
    const file = typeof img.filename === 'string' ? img.filename : '';
    // Below the top: each image of the chain is itself a backing file.
    if (i > 0 && file) out.push({ path: file, kind: 'backing', of: String(images[i - 1]?.filename ?? '') });
    const full = img['full-backing-filename'] ?? img['backing-filename'];
    if (typeof full === 'string' && full !== '') {
      const abs = full.startsWith('/') || !file.startsWith('/') || /^[a-z]+:/.test(full) ? full : path.posix.join(path.posix.dirname(file), full);
      out.push({ path: abs, kind: 'backing', of: file });
    }
    const fs = img['format-specific'] as { type?: string; data?: { extents?: Array<{ filename?: unknown }> } } | undefined;
    for (const e of fs?.type === 'vmdk' ? (fs.data?.extents ?? []) : []) {
      if (typeof e.filename !== 'string' || e.filename === file) continue;
      const abs = e.filename.startsWith('/') || !file.startsWith('/') ? e.filename : path.posix.join(path.posix.dirname(file), e.filename);
      out.push({ path: abs, kind: 'extent', of: file });
    }
  });
  return out;
}

// ------------------------------------------------------------------------------ the host's policy

export interface PathPolicy {
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

/** `realpath -m -z -- P…` on the host: every path resolved (symlinks followed, missing parts kept), one round trip. */
export async function resolveOnHost(t: Transport, paths: readonly string[]): Promise<Map<string, string>> {
  const uniq = [...new Set(paths.filter((p) => p.startsWith('/') && !p.includes('\0')))];
  const out = new Map<string, string>();
  if (!uniq.length) return out;
  const cmd = command('realpath', '-m', '-z', '--', ...uniq);
  const r = await t.exec(cmd, { timeoutMs: 30_000 });
  const parts = r.stdout.split('\0');
  if (r.exitCode !== 0 || parts.length < uniq.length)
    throw new AppError('command-failed', 'Resolving paths on the host failed', { status: 502, detail: { command: renderInvocation(cmd), stderr: r.stderr.trim(), exitCode: r.exitCode } });
  uniq.forEach((p, i) => out.set(p, parts[i]!));
  return out;
}

export interface PathRequest {
  path: string;
  kind: PathKind;
  /** Where it may lie: under the allowed roots, one of the allowed devices (both by default), a pool volume or pool directory, under extra roots, or exactly one of `also`. */
  allow?: { roots?: boolean; devices?: boolean; poolVolumes?: boolean; poolDirs?: boolean; under?: string[]; also?: string[] };
}

export interface Refusal {
  path: string;
  resolved: string;
  kind: PathKind;
}

/**
 * Pure: which requests fall outside, given every path's resolution (`resolved`, input → realpath).
 * Roots, devices, pool dirs and volumes are compared resolved too.
 */
export function checkResolved(policy: Pick<PathPolicy, 'allowedRoots' | 'allowedDevices' | 'poolDirs' | 'poolVolumes'>, reqs: readonly PathRequest[], resolved: ReadonlyMap<string, string>): Refusal[] {
  const rs = (p: string) => normalizePath(resolved.get(p) ?? p) ?? p;
  const roots = policy.allowedRoots.map(rs);
  const dirs = policy.poolDirs.map(rs);
  const devices = new Set(policy.allowedDevices.map(rs));
  const volumes = new Set(policy.poolVolumes.map(rs));
  const out: Refusal[] = [];
  for (const q of reqs) {
    const got = resolved.get(q.path);
    const r = got === undefined ? null : normalizePath(got);
    const a = q.allow ?? {};
    const ok =
      !!r &&
      !hasDotDot(r) &&
      r !== '/' &&
      (((a.roots ?? true) && isInsideAny(roots, r)) ||
        ((a.devices ?? true) && devices.has(r)) ||
        (!!a.poolVolumes && volumes.has(r)) ||
        (!!a.poolDirs && isInsideAny(dirs, r)) ||
        (a.under ?? []).some((u) => isInsideRoot(rs(u), r)) ||
        (a.also ?? []).map(rs).includes(r));
    if (!ok) out.push({ path: q.path, resolved: r ?? got ?? q.path, kind: q.kind });
  }
  return out;
}

export function refusalError(hostId: string, policy: Pick<PathPolicy, 'allowedRoots' | 'allowedDevices' | 'poolDirs'> & { devicesKnown?: boolean }, refused: Refusal[]): AppError {
  const first = refused[0]!;
  const inPools = first.kind === 'backing' || first.kind === 'extent';
  const where = inPools ? `inside a pool of ${hostId}` : `inside the path policy of ${hostId}`;
  const shown = (xs: string[]) => (xs.length ? xs.join(', ') : 'none');
  const allowed = inPools
    ? `pool directories: ${shown(policy.poolDirs)}, or a pool volume`
    : first.kind === 'pool-source'
      ? `allowed devices: ${shown(policy.allowedDevices)}`
      : `allowed roots: ${shown(policy.allowedRoots)}${first.kind === 'attach' || first.kind === 'media' ? `; allowed devices: ${shown(policy.allowedDevices)}; or a pool volume` : ''}`;
  const more = refused.length > 1 ? ` (and ${refused.length - 1} more path${refused.length > 2 ? 's' : ''})` : '';
  return new AppError('path-outside-policy', `The ${KIND_WORDS[first.kind]} ${first.path} resolves to ${first.resolved}, which is not ${where}${more} — ${allowed}`, {
    status: 422,
    detail: {
      refused,
      allowedRoots: policy.allowedRoots,
      // Devices are listed when they were in question (lsblk is asked only then).
      ...(policy.devicesKnown === false ? {} : { allowedDevices: policy.allowedDevices }),
      ...(inPools ? { poolDirs: policy.poolDirs } : {}),
    },
  });
}

/**
 * Refuse (422 `path-outside-policy`) unless every path resolves inside the policy. Roots,
 * devices and pool paths are resolved in the same `realpath` call as the paths asked about.
 */
export async function requireAllowedPaths(host: HostConfig, reqs: readonly PathRequest[], opts: { policy?: PathPolicy; storage?: HostStorage; fresh?: boolean } = {}): Promise<PathPolicy> {
  if (!reqs.length && opts.policy) return opts.policy;
  const devices = reqs.some((q) => q.allow?.devices ?? true);
  const policy = opts.policy && (opts.policy.devicesKnown || !devices) ? opts.policy : await hostPathPolicy(host, { storage: opts.storage, fresh: opts.fresh, devices });
  if (!reqs.length) return policy;
  const bad = reqs.filter((q) => !q.path.startsWith('/') || q.path.includes('\0'));
  if (bad.length) throw refusalError(host.id, policy, bad.map((q) => ({ path: q.path, resolved: q.path, kind: q.kind })));
  const resolved = await resolveOnHost(transportFor(host), [
    ...reqs.map((q) => q.path),
    ...reqs.flatMap((q) => [...(q.allow?.also ?? []), ...(q.allow?.under ?? [])]),
    ...policy.allowedRoots,
    ...policy.allowedDevices,
    ...(reqs.some((q) => q.allow?.poolDirs) ? policy.poolDirs : []),
    ...(reqs.some((q) => q.allow?.poolVolumes) ? policy.poolVolumes : []),
  ]);
  const refused = checkResolved(policy, reqs, resolved);
  if (refused.length) throw refusalError(host.id, policy, refused);
  return policy;
}

/**
 * Every backing file (the whole chain) and vmdk extent of these images must resolve inside a
 * pool of the host. Read with `qemu-img info -U --backing-chain -f FMT` (the format the caller
 * vouches for: never probed); when the chain cannot be opened (a missing or unreadable backing
 * file), the top image's own header still names its backing file.
 */
export async function requireBackingInsidePools(host: HostConfig, images: ReadonlyArray<{ path: string; format: string | null }>, opts: { policy?: PathPolicy; storage?: HostStorage } = {}): Promise<PathPolicy> {
  const t = transportFor(host);
  const policy = opts.policy ?? (await hostPathPolicy(host, { storage: opts.storage, devices: false }));
  const refs = (
    await Promise.all(
      images
        .filter((i) => i.path.startsWith('/'))
        .map(async (img) => {
          const f = img.format ? ['-f', img.format] : [];
          const chain = await t.exec(command('qemu-img', 'info', '--output=json', '-U', '--backing-chain', ...f, '--', img.path), { timeoutMs: 60_000 });
          if (chain.exitCode === 0) return referencedFiles(chain.stdout);
          const one = await t.exec(command('qemu-img', 'info', '--output=json', '-U', ...f, '--', img.path), { timeoutMs: 60_000 });
          return one.exitCode === 0 ? referencedFiles(one.stdout) : [];
        }),
    )
  ).flat();
  if (!refs.length) return policy;
  const reqs: PathRequest[] = refs.map((r) => ({ path: r.path, kind: r.kind, allow: { roots: false, devices: false, poolDirs: true, poolVolumes: true } }));
  const bad = reqs.filter((q) => !q.path.startsWith('/'));
  if (bad.length) throw refusalError(host.id, policy, bad.map((q) => ({ path: q.path, resolved: q.path, kind: q.kind })));
  const resolved = await resolveOnHost(t, [...reqs.map((q) => q.path), ...policy.poolDirs, ...policy.poolVolumes]);
  const refused = checkResolved(policy, reqs, resolved);
  if (refused.length) throw refusalError(host.id, policy, refused);
  return policy;
}

/** What the host DTO shows (GET /api/hosts/{id}): the configured or default lists, nothing else. */
export async function pathPolicyDto(host: HostConfig, storage: HostStorage): Promise<{ allowedRoots: string[]; allowedDevices: string[] }> {
  const p = await hostPathPolicy(host, { storage });
  return { allowedRoots: p.allowedRoots, allowedDevices: p.allowedDevices };
}

// ------------------------------------------------------------------------------ pools

/**
 * Pure: the paths a pool definition points at, as policy requests (which types take which: the
 * pool-type table, lib/pool-types.ts). A file pool's target must lie
 * in the allowed roots, a device pool's target under /dev; fs/logical/disk/zfs source devices
 * must be allowed devices (or be the ones this pool already uses: `currentDevices`, for an edit).
 */
export function poolPathRequests(pool: { type: string; targetPath?: string | null; devices: readonly string[] }, currentDevices: readonly string[] = []): PathRequest[] {
  const out: PathRequest[] = [];
  if (pool.targetPath) {
    if (isFilePool(pool.type)) out.push({ path: pool.targetPath, kind: 'pool-target', allow: { roots: true, devices: false } });
    else if (targetUnderDev(pool.type)) out.push({ path: pool.targetPath, kind: 'pool-target', allow: { roots: false, devices: false, under: ['/dev'] } });
  }
  if (hasLocalSourceDevices(pool.type))
    for (const d of pool.devices) out.push({ path: d, kind: 'pool-source', allow: { roots: false, devices: true, also: [...currentDevices] } });
  return out;
}
