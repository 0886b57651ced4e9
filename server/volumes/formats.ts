import 'server-only';
import { own } from '@/lib/own';
import { canCreateVolumes, isFilePool, poolTypesWhere } from '@/lib/pool-types';
import { CREATE_FORMATS, type Qcow2Options, type VolumeFormatsDto } from '@/lib/schemas';
import { TtlCache } from '../cache/ttl-cache';
import { command } from '../commands/command';
import { runChecked } from '../commands/run';
import type { HostConfig } from '../hosts/inventory';
import { transportFor } from '../hosts/transports';
import { findPool, hostContext } from './context';

/** Which preallocation modes qemu-img accepts per format (qemu 7.2; others take none). */
export const PREALLOCATION_BY_FORMAT: Record<string, string[]> = {
  qcow2: ['off', 'metadata', 'falloc', 'full'],
  raw: ['off', 'falloc', 'full'],
};

/** qcow2 creation options as `-o` items (create and convert); each value is from a closed set or a number, so `,` cannot sneak in. */
export function qcow2OptionItems(q: Qcow2Options): string[] {
  const o: string[] = [];
  if (q.compat) o.push(`compat=${q.compat}`);
  if (q.clusterSize !== undefined) o.push(`cluster_size=${q.clusterSize}`);
  if (q.lazyRefcounts !== undefined) o.push(`lazy_refcounts=${q.lazyRefcounts ? 'on' : 'off'}`);
  if (q.compressionType) o.push(`compression_type=${q.compressionType}`);
  return o;
}

/** Pools whose volumes come from the storage itself (LUNs, multipath maps): libvirt creates none (the pool-type table says which). */
export const NO_CREATE: ReadonlySet<string> = new Set(poolTypesWhere((s) => !s.volumes.create));

/** What a host's qemu-img can do changes only with a package upgrade: asked once per 10 minutes. */
const caps = new TtlCache<string, unknown>({ ttlMs: 600_000 });
function perHost<T>(host: HostConfig, what: string, ask: () => Promise<T>): Promise<T> {
  return caps.get(`${host.id}\0${what}`, ask) as Promise<T>;
}

/**
 * Whether the host's qemu-img can make LUKS-encrypted qcow2 images: its qcow2 creation options
 * (`qemu-img create -f qcow2 -o help`) list `encrypt.format` and `encrypt.key-secret`.
 */
export function hostSupportsLuks(host: HostConfig): Promise<boolean> {
  return perHost(host, 'luks', async () => {
    const r = await runChecked(transportFor(host), command('qemu-img', 'create', '-f', 'qcow2', '-o', 'help'), 'Asking qemu-img for its qcow2 options', { timeoutMs: 30_000 });
    return /encrypt\.format=.*luks/.test(r.stdout) && r.stdout.includes('encrypt.key-secret');
  });
}

/** `qemu-img --help` ends with "Supported formats: …": the host's build decides, not ours. */
export function hostImageFormats(host: HostConfig): Promise<string[]> {
  return perHost(host, 'formats', async () => {
    const r = await runChecked(transportFor(host), command('qemu-img', '--help'), 'Asking qemu-img for its formats', { timeoutMs: 30_000 });
    const line = r.stdout.split('\n').find((l) => l.startsWith('Supported formats:')) ?? '';
    const supported = new Set(line.replace('Supported formats:', '').trim().split(/\s+/));
    return CREATE_FORMATS.filter((f) => supported.has(f));
  });
}

/**
 * Formats a new volume in this pool can have: every format the host's qemu-img creates for
 * file pools; raw only for device pools (an LVM volume, a partition or a LUN is raw storage).
 */
export async function volumeFormats(hostId: string, pool: string): Promise<VolumeFormatsDto> {
  const { host, storage } = await hostContext(hostId, { fresh: false });
  const p = findPool(storage, hostId, pool);
  const fileBased = isFilePool(p.type);
  const [formats, luks] = fileBased ? await Promise.all([hostImageFormats(host), hostSupportsLuks(host)]) : [['raw'], false];
  return {
    formats,
    preallocation: Object.fromEntries(formats.map((f) => [f, fileBased ? (own(PREALLOCATION_BY_FORMAT, f) ?? ['off']) : ['off', 'full']])),
    poolType: p.type,
    fileBased,
    encryption: luks && formats.includes('qcow2') ? ['luks'] : [],
    canCreate: canCreateVolumes(p.type),
  };
}
