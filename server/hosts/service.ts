import 'server-only';
import type { DomainDto, HostDto, PoolDto, VolumeDetailDto, VolumeDto } from '@/lib/schemas';
import { command } from '../commands/command';
import { runChecked } from '../commands/run';
import { call, virsh } from '../commands/virsh';
import { AppError, internalError, notFound } from '../errors';
import { parseImageInfo } from '../qemu-img/info';
import { describeAddress, findHost, loadInventory, type HostConfig } from './inventory';
import { pathPolicyDto } from '../policy/host-policy';
import { hostStorage } from './storage-cache';
import { transportFor } from './transports';

/** The read side of the API: each function is one route (and one server-page prefetch). */

/**
 * Every host, each read in parallel. A slow host (say, an emulated one) does not hold the list
 * back: past `budgetMs` it is listed as `connecting` while its read goes on (and lands in the
 * storage cache), so the next request — the UI polls while any host is connecting — has it.
 */
export async function listHosts(opts: { budgetMs?: number; only?: (hostId: string) => boolean } = {}): Promise<HostDto[]> {
  const budget = opts.budgetMs ?? Number(process.env.KSC_HOST_LIST_BUDGET_MS ?? 4000);
  return Promise.all(
    loadInventory().hosts.filter((h) => !opts.only || opts.only(h.id)).map((h) => {
      const full = summarize(h);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<HostDto>((resolve) => {
        timer = setTimeout(() => resolve({ ...baseOf(h), status: 'connecting' }), budget);
      });
      return Promise.race([full, late]).finally(() => clearTimeout(timer));
    }),
  );
}

/** One host; when it reads fine, with its path policy (allowed roots and devices: never key material). */
export async function getHost(id: string): Promise<HostDto> {
  const h = findHost(id);
  const dto = await summarize(h);
  if (dto.status !== 'ok') return dto;
  try {
    return { ...dto, pathPolicy: await pathPolicyDto(h, await hostStorage(h)) };
  } catch {
    return dto;
  }
}

function baseOf(h: HostConfig): HostDto {
  return {
    id: h.id,
    name: h.name,
    address: describeAddress(h),
    uri: h.uri,
    transport: h.transport,
    status: 'ok',
    ...(h.hostKey ? { hostKey: h.hostKey } : {}),
  };
}

async function summarize(h: HostConfig): Promise<HostDto> {
  const base = baseOf(h);
  try {
    const s = await hostStorage(h);
    const active = s.pools.filter((p) => p.state === 'running');
    return {
      ...base,
      hostname: s.hostname ?? undefined,
      libvirtVersion: s.libvirtVersion ?? undefined,
      qemuVersion: s.qemuVersion ?? undefined,
      poolCount: s.pools.length,
      activePoolCount: active.length,
      vmCount: s.domains.length,
      runningVmCount: s.domains.filter((d) => d.state === 'running').length,
      volumeCount: [...s.volumes.values()].reduce((n, v) => n + v.length, 0),
      // Pools on one filesystem (dir pools side by side) report the same space: count each once.
      ...sumCapacity(active),
    };
  } catch (e) {
    const err = hostError(e, h);
    const presented = (err.detail as { presented?: string } | undefined)?.presented;
    return { ...base, status: statusOf(err.code), error: err.toJSON(), ...(presented ? { presentedHostKey: presented } : {}) };
  }
}

function sumCapacity(pools: PoolDto[]): { capacity: number; allocation: number; available: number } {
  const seen = new Set<string>();
  let capacity = 0;
  let allocation = 0;
  let available = 0;
  for (const p of pools) {
    const fsKey = `${p.capacity}:${p.type === 'dir' ? 'dir' : p.uuid}`;
    if (seen.has(fsKey)) continue;
    seen.add(fsKey);
    capacity += p.capacity;
    allocation += p.allocation;
    available += p.available;
  }
  return { capacity, allocation, available };
}

const STATUSES = new Set(['unreachable', 'hostkey-unknown', 'hostkey-changed', 'auth-failed', 'libvirt-error']);
const statusOf = (code: string): HostDto['status'] => (STATUSES.has(code) ? (code as HostDto['status']) : 'error');

/** Word a failed host read; a missing virsh is the commonest first-run problem, so say so. */
function hostError(e: unknown, h: HostConfig): AppError {
  // Duck-typed: pages and route handlers can load separate copies of the error classes.
  if (e instanceof AppError || (e instanceof Error && typeof (e as AppError).code === 'string' && typeof (e as AppError).toJSON === 'function')) {
    const err = e as AppError;
    if (/virsh: (command )?not found|virsh: not found/.test(e.message))
      return new AppError('libvirt-error', `libvirt's virsh is not installed on ${h.transport === 'local' ? 'this machine' : h.id}`, {
        status: 502,
        detail: {
          stderr: e.message,
          hint: 'Install libvirt-clients and libvirt-daemon-system, add a host to the inventory, or run `npm run lab:up` for a lab.',
        },
      });
    return err;
  }
  if (e instanceof Error && e.name === 'VirshBatchError')
    return new AppError('libvirt-error', `virsh on ${h.id} failed: ${e.message.split('\n')[0]}`, { status: 502, detail: { stderr: e.message } });
  // Anything else is unforeseen: its text stays in the server log, under the id the client sees.
  const internal = internalError(e, `reading host ${h.id}`);
  return new AppError('error', `Reading ${h.id} failed: ${internal.message}`, { status: 500, cause: e, detail: { id: internal.id } });
}

async function storageOf(hostId: string) {
  const host = findHost(hostId);
  try {
    return { host, storage: await hostStorage(host) };
  } catch (e) {
    throw hostError(e, host);
  }
}

export async function listPools(hostId: string): Promise<PoolDto[]> {
  const { storage } = await storageOf(hostId);
  return storage.pools.map(({ xml: _xml, ...p }) => p);
}

export async function getPool(hostId: string, pool: string): Promise<{ pool: PoolDto; xml: string }> {
  const { storage } = await storageOf(hostId);
  const found = storage.pools.find((p) => p.name === pool);
  if (!found) throw notFound(`Pool "${pool}" on ${hostId}`);
  const { xml, ...dto } = found;
  return { pool: dto, xml };
}

export async function listVolumes(hostId: string, pool: string): Promise<VolumeDto[]> {
  const { storage } = await storageOf(hostId);
  const p = storage.pools.find((x) => x.name === pool);
  if (!p) throw notFound(`Pool "${pool}" on ${hostId}`);
  if (p.state !== 'running')
    throw new AppError('pool-inactive', `Pool "${pool}" is not running, so its volumes cannot be listed: start it first`, { status: 409 });
  return storage.volumes.get(pool) ?? [];
}

export async function listDomains(hostId: string): Promise<DomainDto[]> {
  const { storage } = await storageOf(hostId);
  return storage.domains.map(({ xml: _xml, ...d }) => d);
}

/** One volume with its XML, its image chain from qemu-img, and the volumes that use it as a backing file. */
export async function getVolume(hostId: string, pool: string, name: string): Promise<VolumeDetailDto> {
  const { host, storage } = await storageOf(hostId);
  const vols = await listVolumes(hostId, pool);
  const volume = vols.find((v) => v.name === name);
  if (!volume) throw notFound(`Volume "${name}" in pool "${pool}" on ${hostId}`);
  const xml = await volumeXml(host, pool, name);
  const running = new Set(storage.domains.filter((d) => d.state !== 'shut off').map((d) => d.name));
  const overlays = [...storage.volumes.values()]
    .flat()
    .filter((v) => v.backingStore?.path === volume.path)
    .map((v) => ({ pool: v.pool, name: v.name, path: v.path }));
  let chain: VolumeDetailDto['chain'] = [];
  let chainError: string | null = null;
  if (volume.type === 'file' || volume.type === 'block') {
    // -U (force share) reads an image a running VM holds locked; only then is it needed.
    const inUse = volume.usedBy.some((vm) => running.has(vm));
    const args = ['info', '--output=json', '--backing-chain', ...(inUse ? ['-U'] : []), '--', volume.path];
    const r = await transportFor(host).exec(command('qemu-img', ...args), { timeoutMs: 30_000 });
    if (r.exitCode === 0) chain = parseImageInfo(r.stdout);
    else chainError = r.stderr.trim() || `qemu-img exited with ${r.exitCode}`;
  } else {
    chainError = `qemu-img cannot open a ${volume.type} volume by path`;
  }
  return { volume, xml, chain, chainError, overlays };
}

async function volumeXml(host: HostConfig, pool: string, name: string): Promise<string> {
  const cmd = virsh(host.uri, call('vol-dumpxml', '--pool', pool, '--', name));
  return (await runChecked(transportFor(host), cmd, `Reading the XML of ${pool}/${name}`, { timeoutMs: 30_000 })).stdout;
}

