import 'server-only';
import type { BusOptionDto, ChainImageDto, DiskDetailDto, DomainDetailDto, DomainDto, SnapshotDto, VolumeDto } from '@/lib/schemas';
import { command } from '../commands/command';
import { call, parseVirshBatch, virshBatch, type VirshCallResult } from '../commands/virsh';
import { AppError, notFound } from '../errors';
import { findHost, type HostConfig } from '../hosts/inventory';
import { hostStorage } from '../hosts/storage-cache';
import { transportFor } from '../hosts/transports';
import { parseImageInfo } from '../qemu-img/info';
import type { Transport } from '../transport/types';
import type { HostStorage } from '../virsh/read-host';
import { parseKeyValues } from '../virsh/output';
import { nextFreeTarget } from '../xml/build-disk';
import { parseDomainXml, type DomainDisk } from '../xml/domain';
import { parseDiskBuses, parseDomainExtra } from '../xml/domain-extra';
import { parseSnapshotXml, type SnapshotXml } from '../xml/snapshot';
import { snapshotAbilities } from './snapshot-rules';

/**
 * One VM as the VM page shows it, read in two round trips plus one qemu-img script:
 *  1. a virsh batch: live and persistent XML, state, info, the snapshot names, the current one,
 *     and `snapshot-list --tree`;
 *  2. in parallel: one virsh on stdin with `domcapabilities` and every `snapshot-dumpxml`,
 *     one shell script running `qemu-img info --backing-chain` per disk, and the (cached)
 *     host storage read that maps paths to pool volumes.
 */
export interface DomainRead extends DomainDetailDto {
  /** Parsed snapshots, for guards. */
  snapshotXml: SnapshotXml[];
  storage: HostStorage;
  liveDisks: DomainDisk[];
  configDisks: DomainDisk[];
}

export async function readDomain(hostId: string, vm: string, opts: { fresh?: boolean } = {}): Promise<DomainRead> {
  const host = findHost(hostId);
  const t = transportFor(host);
  const b1 = virshBatch(host.uri, [
    call('dumpxml', '--', vm),
    call('dumpxml', '--inactive', '--', vm),
    call('domstate', '--', vm),
    call('dominfo', '--', vm),
    call('snapshot-list', '--name', '--', vm),
    call('snapshot-current', '--name', '--', vm),
    call('snapshot-list', '--tree', '--', vm),
  ]);
  const storagePromise = hostStorage(host, { fresh: opts.fresh });
  const r1 = await t.exec(b1.command, { timeoutMs: 30_000 });
  const [xmlR, inactiveR, stateR, infoR, namesR, currentR, treeR] = parseVirshBatch(b1, r1.stdout) as [VirshCallResult, ...VirshCallResult[]];
  if (!xmlR.ok) {
    if (/failed to get domain|Domain not found/i.test(xmlR.error)) throw notFound(`VM “${vm}” on ${hostId}`, { stderr: xmlR.error });
    throw new AppError('libvirt-error', `Reading VM “${vm}” failed: ${xmlR.error.split('\n')[0]}`, { status: 502, detail: { stderr: xmlR.error } });
  }
  const live = parseDomainXml(xmlR.output);
  const inactiveXml = inactiveR?.ok ? inactiveR.output : xmlR.output;
  const config = parseDomainXml(inactiveXml);
  const extra = parseDomainExtra(xmlR.output);
  const configExtra = parseDomainExtra(inactiveXml);
  const stateText = stateR?.ok ? stateR.output.trim() : 'unknown';
  const info = infoR?.ok ? parseKeyValues(infoR.output) : new Map<string, string>();
  const names = namesR?.ok ? namesR.output.split('\n').map((s) => s.trim()).filter(Boolean) : [];
  const current = currentR?.ok ? currentR.output.trim() || null : null;
  const running = stateText === 'running' || stateText === 'paused';

  // --- round trip 2 (three in parallel) ---
  const b2calls = [
    call('domcapabilities', '--virttype', live.virtType, ...(extra.arch ? ['--arch', extra.arch] : []), ...(extra.machine ? ['--machine', extra.machine] : [])),
    ...names.map((n) => call('snapshot-dumpxml', '--', vm, n)),
  ];
  const b2 = virshBatch(host.uri, b2calls, { mode: 'stdin' });
  const shown = running ? live.disks : config.disks;
  const paths = [...new Set([...live.disks, ...config.disks].filter((d) => (d.type === 'file' || d.type === 'block') && d.source).map((d) => d.source as string))];
  const [r2, chains, storage] = await Promise.all([
    t.exec(b2.command, { stdin: b2.stdin, timeoutMs: 30_000 + names.length * 50 }),
    readChains(t, paths),
    storagePromise,
  ]);
  const res2 = parseVirshBatch(b2, r2.stdout);
  const buses = res2[0]?.ok ? parseDiskBuses(res2[0].output) : ['virtio', 'scsi', 'sata', 'ide', 'usb'];
  const snapshotXml: SnapshotXml[] = [];
  res2.slice(1).forEach((r) => {
    if (r.ok) snapshotXml.push(parseSnapshotXml(r.output));
  });

  const byPath = volumesByPath(storage);
  const inLive = new Set(running ? live.disks.map((d) => d.target) : []);
  const inConfig = new Set(config.disks.map((d) => d.target));
  const all = [...shown, ...(running ? config.disks.filter((d) => !inLive.has(d.target)) : [])];
  const disks: DiskDetailDto[] = all.map((d) => {
    const ex = extra.disks.get(d.target) ?? configExtra.disks.get(d.target);
    const vol = d.source ? byPath.get(d.source) : undefined;
    const chain = d.source ? chains.get(d.source) : undefined;
    return {
      ...stripChain(d),
      inLive: inLive.has(d.target),
      inConfig: inConfig.has(d.target),
      io: ex?.io ?? null,
      discard: ex?.discard ?? null,
      serial: ex?.serial ?? null,
      volumePool: d.sourcePool ?? vol?.pool ?? null,
      volumeName: d.sourceVolume ?? vol?.name ?? null,
      chain: (chain?.images ?? []).map((img) => ({ ...img, ...poolOf(byPath, img.path) })),
      chainError: d.source ? (chain?.error ?? (d.type === 'file' || d.type === 'block' ? null : `qemu-img cannot follow a ${d.type} disk`)) : null,
    };
  });

  const used = [...inLive, ...inConfig];
  const busOptions: BusOptionDto[] = buses
    .filter((b) => b !== 'fdc')
    .map((bus) => ({ bus, ...liveAbility(bus, { running, acpi: extra.acpi, machine: extra.machine, controllers: extra.controllers }), nextTarget: nextFreeTarget(bus, used) }));

  const snapshots = buildSnapshotList(snapshotXml, current, {
    libvirtVersion: storage.libvirtVersion,
    running,
    liveDisks: running ? live.disks : config.disks,
    chains,
    volumes: storage.volumes,
  });
  const state = (['running', 'blocked', 'paused', 'shutdown', 'shut off', 'crashed', 'pmsuspended'].includes(stateText) ? stateText : 'unknown') as DomainDto['state'];
  return {
    domain: {
      name: live.name,
      uuid: live.uuid,
      state,
      persistent: info.get('Persistent') !== 'no',
      autostart: info.get('Autostart') === 'enable',
      vcpus: live.vcpus,
      memory: live.memory,
      virtType: live.virtType,
      machine: extra.machine,
      arch: extra.arch,
      acpi: extra.acpi,
      guestAgent: extra.guestAgent,
    },
    disks,
    buses: busOptions,
    snapshots: { current, snapshots, tree: treeR?.ok ? treeR.output.replace(/\s+$/, '') : '' },
    xml: xmlR.output,
    inactiveXml,
    snapshotXml,
    storage,
    liveDisks: running ? live.disks : [],
    configDisks: config.disks,
  };
}

const stripChain = ({ chain: _chain, ...d }: DomainDisk) => d;

export function volumesByPath(storage: HostStorage): Map<string, VolumeDto> {
  const m = new Map<string, VolumeDto>();
  for (const vols of storage.volumes.values()) for (const v of vols) m.set(v.path, v);
  return m;
}

const poolOf = (byPath: Map<string, VolumeDto>, path: string) => {
  const v = byPath.get(path);
  return { pool: v?.pool ?? null, volume: v?.name ?? null };
};

/**
 * Whether QEMU can hot-plug a disk on this bus into this VM, per the lab's measurements:
 * virtio is a PCI device (needs ACPI PCI hot-plug on i440fx; q35 needs a free root port);
 * IDE never hot-plugs ("Bus 'ide.0' does not support hotplugging"); SATA (AHCI) neither, and
 * i440fx has no SATA controller at all until one is added to the config; SCSI needs a SCSI
 * controller, USB a USB controller.
 */
export function liveAbility(
  bus: string,
  vm: { running: boolean; acpi: boolean; machine: string | null; controllers: Array<{ type: string; model: string | null }> },
): { live: boolean; liveReason: string | null } {
  if (!vm.running) return { live: false, liveReason: 'the VM is not running: a live change needs a running VM (a persistent one takes effect at the next start)' };
  const has = (type: string) => vm.controllers.some((c) => c.type === type && c.model !== 'none');
  switch (bus) {
    case 'virtio':
      return vm.acpi || /q35/.test(vm.machine ?? '')
        ? { live: true, liveReason: null }
        : { live: false, liveReason: 'the VM has no ACPI, so PCI hot-plug is impossible ("Bus \'pci.0\' does not support hotplugging"): attach persistently and restart' };
    case 'scsi':
      return has('scsi') ? { live: true, liveReason: null } : { live: false, liveReason: 'the running VM has no SCSI controller to plug into: attach persistently (libvirt adds one) and restart' };
    case 'usb':
      return has('usb') ? { live: true, liveReason: null } : { live: false, liveReason: 'the running VM has no USB controller' };
    case 'ide':
      return { live: false, liveReason: 'QEMU cannot hot-plug IDE disks ("Bus \'ide.0\' does not support hotplugging"): attach persistently and restart the VM' };
    case 'sata':
      return {
        live: false,
        liveReason: /q35/.test(vm.machine ?? '')
          ? 'QEMU cannot hot-plug SATA (AHCI) disks: attach persistently and restart the VM'
          : `the ${vm.machine ?? 'pc'} machine has no SATA controller while running, and QEMU cannot hot-plug SATA disks: attach persistently (libvirt adds a controller) and restart`,
      };
    default:
      return { live: false, liveReason: `no hot-plug for bus ${bus}` };
  }
}

export interface ChainRead {
  images: Array<Omit<ChainImageDto, 'pool' | 'volume'>>;
  error: string | null;
}

// One shell script reads every disk's chain: paths are positional arguments (quoted once, by
// shell.ts), each result is followed by a marker line with qemu-img's exit code. -U reads
// images a running VM holds locked (metadata only; fine for display and guards).
const CHAIN_SCRIPT = 'm=$1; shift; for f; do qemu-img info -U --output=json --backing-chain -- "$f" 2>&1; echo "$m $?"; done';

export async function readChains(t: Transport, paths: string[]): Promise<Map<string, ChainRead>> {
  const out = new Map<string, ChainRead>();
  if (!paths.length) return out;
  const mark = `@@ksc-chain-${Math.random().toString(36).slice(2, 10)}`;
  const r = await t.exec(command('sh', '-c', CHAIN_SCRIPT, 'ksc-chains', mark, ...paths), { timeoutMs: 30_000 + paths.length * 2000 });
  const parts = r.stdout.split('\n');
  let buf: string[] = [];
  let i = 0;
  for (const line of parts) {
    if (line.startsWith(`${mark} `)) {
      const path = paths[i++];
      if (!path) break;
      const code = line.slice(mark.length + 1).trim();
      const text = buf.join('\n');
      buf = [];
      if (code !== '0') {
        out.set(path, { images: [], error: text.trim() || `qemu-img exited with ${code}` });
        continue;
      }
      try {
        out.set(path, {
          images: parseImageInfo(text).map((img) => ({
            path: img.filename,
            format: img.format,
            virtualSize: img.virtualSize,
            actualSize: img.actualSize,
            imageSnapshots: img.snapshots.map((s) => s.name),
          })),
          error: null,
        });
      } catch (e) {
        out.set(path, { images: [], error: (e as Error).message });
      }
    } else buf.push(line);
  }
  return out;
}

function buildSnapshotList(
  xml: SnapshotXml[],
  current: string | null,
  ctx: Parameters<typeof snapshotAbilities>[1],
): SnapshotDto[] {
  const sorted = [...xml].sort((a, b) => a.creationTime - b.creationTime || a.name.localeCompare(b.name));
  return sorted.map((s) => {
    const kinds = new Set(s.disks.filter((d) => d.snapshot !== 'no').map((d) => d.snapshot));
    const location: SnapshotDto['location'] = kinds.size === 0 ? (s.memory === 'no' ? 'none' : s.memory) : kinds.size > 1 ? 'mixed' : kinds.has('external') ? 'external' : 'internal';
    return {
      name: s.name,
      description: s.description,
      parent: s.parent,
      children: sorted.filter((c) => c.parent === s.name).map((c) => c.name),
      creationTime: s.creationTime,
      state: s.state,
      current: s.name === current,
      location,
      memory: s.memory,
      // No memory saved: of a running VM a disk-only (crash-consistent) one, of a shut-off VM simply its disks.
      diskOnly: s.memory === 'no',
      disks: s.disks,
      ...snapshotAbilities(s, ctx, xml),
    };
  });
}

export type { HostConfig };

/** GET /api/hosts/{id}/domains/{vm}: the detail without the server's working data. */
export async function getDomain(hostId: string, vm: string): Promise<DomainDetailDto> {
  const { snapshotXml: _s, storage: _st, liveDisks: _l, configDisks: _c, ...dto } = await readDomain(hostId, vm);
  return dto;
}
