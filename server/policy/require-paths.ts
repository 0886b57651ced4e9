import 'server-only';
import path from 'node:path';
import { hasLocalSourceDevices, isFilePool, targetUnderDev } from '@/lib/pool-types';
import { command } from '../commands/command';
import { renderInvocation } from '../commands/shell';
import { AppError } from '../errors';
import type { HostConfig } from '../hosts/inventory';
import { transportFor } from '../hosts/transports';
import type { Transport } from '../transport/types';
import type { HostStorage } from '../virsh/read-host';
import { hostPathPolicy, type PathPolicy } from './host-policy';
import { checkResolved, type PathKind, type PathRequest, type Refusal } from './path-match';

/**
 * The path policy's checks, before a write: every path resolved on the host in one `realpath`
 * round trip and matched (path-match.ts) against the host's policy (host-policy.ts), else 422
 * `path-outside-policy`; backing chains and vmdk extents inside the pools; the paths a pool
 * definition points at, as requests.
 */

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
