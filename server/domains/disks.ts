import 'server-only';
import { requireRole } from '../auth/context';
import { isFilePool } from '@/lib/pool-types';
import { AttachDiskInput, DetachDiskInput, type DomainActionResultDto, type VolumeDto } from '@/lib/schemas';
import { command } from '../commands/command';
import { call, virsh } from '../commands/virsh';
import { AppError, badRequest, conflict, notFound } from '../errors';
import { guard, guardError } from '../operations/guards';
import { planOf, type Plan, type Step } from '../operations/plan';
import { findHost } from '../hosts/inventory';
import { requireAllowedPaths, requireBackingInsidePools } from '../policy/require-paths';
import { transportFor } from '../hosts/transports';
import type { Transport } from '../transport/types';
import { volumeSecret } from '../virsh/secrets';
import { buildDiskXml, nextFreeTarget, type DiskXmlInput } from '../xml/build-disk';
import { parseDomainXml } from '../xml/domain';
import { parseImageInfo } from '../qemu-img/info';
import { previewResult, ranResult } from './action-result';
import { runOnHost } from '../operations/run-on-host';
import { readDomain, volumesByPath, type DomainRead } from './read';
import { imageUsers, usersOf } from './users';

/**
 * Attach and detach, planned first (the plan is the dry-run preview), guarded, then run and
 * checked against the VM's XML afterwards — never reported from virsh's exit code alone:
 * `detach-device --live` exits 0 when it has only *asked* the guest to let go.
 */

const liveFlags = (live: boolean, persistent: boolean) => [...(live ? ['--live'] : []), ...(persistent ? ['--config'] : [])];
/** An encrypted (LUKS) volume's disk names its libvirt secret by usage: the volume's path. */
const luks = (v: VolumeDto): Pick<DiskXmlInput, 'encryption'> => (v.encryption ? { encryption: { format: v.encryption, usage: v.path } } : {});
const modeWords = (live: boolean, persistent: boolean) => (live && persistent ? 'live and persistent' : live ? 'live' : 'persistent');

type AttachInput = ReturnType<typeof AttachDiskInput.parse>;
type DetachInput = ReturnType<typeof DetachDiskInput.parse>;
const isRunning = (dom: Pick<DomainRead, 'domain'>) => dom.domain.state === 'running' || dom.domain.state === 'paused';

/** What an attach or detach planner reads: the VM (fresh) with its host's storage. */
export type DiskVmRead = Pick<DomainRead, 'domain' | 'liveDisks' | 'configDisks' | 'buses' | 'storage' | 'snapshotXml'>;

export interface AttachState {
  hostId: string;
  dom: DiskVmRead;
  /** Which VMs use which image (live and inactive XML); empty for a volume made on the fly. */
  users: Map<string, Set<string>>;
  /** A custom path's format, as qemu-img read it (a pool volume's comes from libvirt). */
  pathFormat?: string;
}

export interface AttachPlan extends Plan {
  xml: string;
  target: string;
  /** `SOURCE as TARGET on BUS, MODE`, for the answer's message. */
  summary: string;
  warnings: string[];
}

/**
 * The refusals that need nothing but the VM as read (pure): its state and persistence, the bus,
 * read-only on a bus that cannot, the target. Returns the target (given, or the bus's next free one).
 */
export function attachTarget(input: AttachInput, dom: DiskVmRead): string {
  const vm = dom.domain.name;
  if (input.live && !isRunning(dom))
    throw conflict('vm-not-running', `${vm} is ${dom.domain.state}: a live attach needs a running VM. Attach persistently instead; the disk appears at the next start.`, {
      state: dom.domain.state,
      offer: { live: false, persistent: true },
    });
  if (input.persistent && !dom.domain.persistent)
    throw conflict('vm-transient', `${vm} is a transient VM (no persistent configuration): attach live only.`, { offer: { live: true, persistent: false } });
  const busOpt = dom.buses.find((b) => b.bus === input.bus);
  if (!busOpt) throw badRequest(`bus ${input.bus} is not offered by this host's QEMU for ${vm} (domcapabilities lists ${dom.buses.map((b) => b.bus).join(', ')})`);
  if (input.live && !busOpt.live)
    throw conflict('live-attach-impossible', `A live attach on bus ${input.bus} is impossible: ${busOpt.liveReason}`, {
      bus: input.bus,
      reason: busOpt.liveReason,
      offer: { live: false, persistent: dom.domain.persistent },
    });

  if (input.readonly && input.device === 'disk' && (input.bus === 'ide' || input.bus === 'sata'))
    throw badRequest(`libvirt refuses read-only ${input.bus} disks (“readonly ${input.bus} disks are not supported”): use virtio or scsi for a read-only disk, or a CD-ROM`);
  const used = new Set([...dom.liveDisks.map((d) => d.target), ...dom.configDisks.map((d) => d.target)]);
  const target = input.target ?? nextFreeTarget(input.bus, used);
  if (used.has(target)) throw conflict('target-in-use', `${vm} already has a disk at ${target}; the next free one on ${input.bus} is ${nextFreeTarget(input.bus, used)}`, { target });
  const wantPrefix = input.bus === 'virtio' ? 'vd' : input.bus === 'ide' ? 'hd' : 'sd';
  if (!target.startsWith(wantPrefix)) throw badRequest(`a ${input.bus} disk's target starts with “${wantPrefix}” (e.g. ${nextFreeTarget(input.bus, used)}), not ${target}`);
  return target;
}

/**
 * The source of an attach (pure): the pool for a volume made on the fly, or the existing volume /
 * path — refused when another VM writes to it or other images are based on it. `volume` is the
 * pool volume attached (null for a new one or a path outside every pool).
 */
export function attachSource(input: AttachInput, s: Pick<AttachState, 'hostId' | 'dom' | 'users'>): { volume: VolumeDto | null; warnings: string[] } {
  const { dom, hostId } = s;
  const warnings: string[] = [];
  if ('create' in input.source) {
    const c = input.source.create;
    const pool = dom.storage.pools.find((p) => p.name === c.pool);
    if (!pool) throw notFound(`Pool “${c.pool}” on ${hostId}`);
    if (pool.state !== 'running') throw conflict('pool-inactive', `Pool “${c.pool}” is not running: start it before creating a volume in it`);
    if ((dom.storage.volumes.get(c.pool) ?? []).some((v) => v.name === c.name)) throw conflict('volume-exists', `A volume “${c.name}” already exists in pool “${c.pool}”: pick it as an existing volume, or choose another name`);
    return { volume: null, warnings };
  }
  if ('pool' in input.source) {
    const { pool, volume } = input.source;
    const v = (dom.storage.volumes.get(pool) ?? []).find((x) => x.name === volume);
    if (!v) throw notFound(`Volume “${volume}” in pool “${pool}” on ${hostId}`);
    guardSource(v.path, usersOf(s.users, v.path, pool, volume), dom, input, warnings);
    return { volume: v, warnings };
  }
  const path = input.source.path;
  const v = volumesByPath(dom.storage).get(path);
  guardSource(path, usersOf(s.users, path, v?.pool, v?.name), dom, input, warnings);
  return { volume: v ?? null, warnings };
}

/**
 * The plan of an attach (pure: validated input + the VM and its host as read → steps): a volume
 * made on the fly (`vol-create-as`, undone by `vol-delete` if the attach fails), then
 * `attach-device` with the disk XML on stdin. Every refusal of attachTarget / attachSource applies.
 */
export function planAttach(uri: string, input: AttachInput, s: AttachState): AttachPlan {
  const { dom } = s;
  const vm = dom.domain.name;
  const target = attachTarget(input, dom);
  const { volume: v, warnings } = attachSource(input, s);
  const steps: Step[] = [];
  let disk: DiskXmlInput;
  const base = { device: input.device, target, bus: input.bus, cache: input.cache, io: input.io, discard: input.discard, readonly: input.readonly, shareable: input.shareable, serial: input.serial };
  if ('create' in input.source) {
    const c = input.source.create;
    const pool = dom.storage.pools.find((p) => p.name === c.pool)!;
    const dir = pool.target.path ?? '';
    steps.push({
      title: `Create volume ${c.pool}/${c.name}`,
      inv: virsh(uri, call('vol-create-as', '--format', c.format, '--', c.pool, c.name, String(c.capacity))),
      // Undo only what this request made: the volume created on the fly.
      undo: { title: `Undo: delete the new volume ${c.pool}/${c.name}`, inv: virsh(uri, call('vol-delete', '--pool', c.pool, '--', c.name)) },
    });
    disk = isFilePool(pool.type)
      ? { ...base, type: 'file', path: `${dir.replace(/\/$/, '')}/${c.name}`, format: c.format }
      : { ...base, type: 'volume', pool: c.pool, volume: c.name, format: c.format };
  } else if ('pool' in input.source) {
    const { pool, volume } = input.source;
    disk =
      v!.type === 'file' || v!.type === 'block'
        ? { ...base, type: v!.type, path: v!.path, format: v!.format ?? 'raw', ...luks(v!) }
        : { ...base, type: 'volume', pool, volume, format: v!.format ?? 'raw', ...luks(v!) };
  } else {
    const path = input.source.path;
    const format = v?.format ?? s.pathFormat;
    if (!format) throw new Error(`planAttach: the format of ${path} was not read`);
    disk = { ...base, type: path.startsWith('/dev/') ? 'block' : 'file', path, format, ...(v ? luks(v) : {}) };
  }
  const xml = buildDiskXml(disk);
  const mode = modeWords(input.live, input.persistent);
  steps.push({
    title: `Attach ${target} to ${vm} (${mode})`,
    inv: virsh(uri, call('attach-device', '--file', '/dev/stdin', ...liveFlags(input.live, input.persistent), '--', vm)),
    stdin: xml,
    stdinName: 'disk.xml',
  });
  const summary = `${disk.path ?? `${disk.pool}/${disk.volume}`} as ${target} on ${input.bus}, ${mode}`;
  return { ...planOf(`Attach ${target} to ${vm}`, steps), xml, target, summary, warnings };
}

export async function attachDisk(hostId: string, vm: string, body: unknown): Promise<DomainActionResultDto> {
  const input = AttachDiskInput.parse(body);
  const host = findHost(hostId);
  const t = transportFor(host);
  const dom = await readDomain(hostId, vm, { fresh: true });
  // The refusals the VM alone decides come before any further reading.
  attachTarget(input, dom);
  const src = input.source;
  // The path policy: a file under the host's allowed roots, a free block device, or a pool volume.
  const policy =
    'path' in src ? await requireAllowedPaths(host, [{ path: src.path, kind: 'attach', allow: { roots: true, devices: true, poolVolumes: true } }], { storage: dom.storage }) : undefined;
  const users = 'create' in src ? new Map<string, Set<string>>() : await imageUsers(t, host.uri, dom.storage);
  const { volume: v } = attachSource(input, { hostId, dom, users });
  // A path that is no pool's volume is outside the pools: an admin's (lib/auth/permissions.ts).
  if ('path' in src && !v) requireRole('admin', `Attaching ${src.path}, a path outside the pools,`);
  let pathFormat: string | undefined;
  // The guest reads its backing chain too: every backing file must be inside a pool.
  if ('pool' in src && v?.type === 'file') await requireBackingInsidePools(host, [{ path: v.path, format: v.format }], { storage: dom.storage });
  if ('path' in src) {
    pathFormat = v?.format ?? (await probeFormat(t, src.path));
    await requireBackingInsidePools(host, [{ path: src.path, format: pathFormat }], { policy });
  }
  const plan = planAttach(host.uri, input, { hostId, dom, users, pathFormat });
  const { xml, target, summary, warnings } = plan;
  if (input.dryRun) return previewResult(plan, `Would attach ${summary}`, { xml, warnings });

  const done = await runOnHost(hostId, t, plan, { timeoutMs: 120_000 });
  // --- check what libvirt now says, not what virsh exited with ---
  const check = await verifyTargets(t, host.uri, vm);
  const problems: string[] = [];
  if (input.live && !check.live.has(target)) problems.push(`${target} is not in the running VM's XML`);
  if (input.persistent && !check.config.has(target)) problems.push(`${target} is not in the persistent XML`);
  if (problems.length)
    throw new AppError('attach-not-verified', `virsh reported success, but ${problems.join(' and ')}`, { status: 502, detail: { steps: done, domblklist: check.domblklist } });
  done.push({ title: 'Check: virsh domblklist --details', command: renderCheck(host.uri, vm), ok: true, output: check.domblklist });
  return ranResult(plan, done, `Attached ${summary}`, { xml, warnings });
}

/**
 * Refuse attaching what would lose data: a disk another VM writes to (two writers corrupt
 * it unless both sides are shareable), or a base image other images are built on (writing to
 * it invalidates them). Read-only attaches of either are fine.
 */
function guardSource(path: string, usedBy: string[], dom: DiskVmRead, input: AttachInput, warnings: string[]) {
  const vm = dom.domain.name;
  if ([...dom.liveDisks, ...dom.configDisks].some((d) => d.source === path))
    throw conflict('already-attached', `${path} is already attached to ${vm}`);
  const others = usedBy.filter((x) => x !== vm);
  if (others.length && !input.readonly && !input.shareable)
    throw guardError({ hazard: 'volume-in-use', name: path, message: `${path} is already used by ${others.join(', ')}: two VMs writing to one image corrupt it. Attach it read-only, or mark it shareable on both VMs.`, affected: { usedBy: others } });
  if (others.length) warnings.push(`${path} is also used by ${others.join(', ')}`);
  const overlays = [...dom.storage.volumes.values()].flat().filter((x) => x.backingStore?.path === path);
  if (overlays.length && !input.readonly)
    throw guardError({
      hazard: 'base-has-overlays',
      name: path,
      message: `${path} is the backing file of ${overlays.map((o) => `${o.pool}/${o.name}`).join(', ')}: writing to it would corrupt them. Attach it read-only, or attach an overlay instead.`,
      affected: { overlays: overlays.map((o) => `${o.pool}/${o.name}`) },
    });
}

/** A custom path's format, from qemu-img (never guessed by libvirt: probing a raw image a guest wrote is a known hole). */
async function probeFormat(t: Transport, path: string): Promise<string> {
  const r = await t.exec(command('qemu-img', 'info', '-U', '--output=json', '--', path), { timeoutMs: 30_000 });
  if (r.exitCode !== 0) throw new AppError('path-unreadable', `Cannot read ${path}: ${r.stderr.trim() || 'qemu-img failed'}`, { status: 422, detail: { stderr: r.stderr.trim() } });
  return parseImageInfo(r.stdout)[0]!.format;
}

const renderCheck = (uri: string, vm: string) => `virsh -c ${uri} domblklist --details -- ${vm}`;

/** Targets in the live and persistent XML right now, plus `domblklist --details` for the record. */
export async function verifyTargets(t: Transport, uri: string, vm: string): Promise<{ live: Set<string>; config: Set<string>; domblklist: string }> {
  const [a, b, c] = await Promise.all([
    t.exec(virsh(uri, call('dumpxml', '--', vm)), { timeoutMs: 30_000 }),
    t.exec(virsh(uri, call('dumpxml', '--inactive', '--', vm)), { timeoutMs: 30_000 }),
    t.exec(virsh(uri, call('domblklist', '--details', '--', vm)), { timeoutMs: 30_000 }),
  ]);
  const state = await t.exec(virsh(uri, call('domstate', '--', vm)), { timeoutMs: 30_000 });
  const running = /running|paused/.test(state.stdout);
  const targets = (xml: string) => new Set(parseDomainXml(xml).disks.map((d) => d.target));
  return { live: running && a.exitCode === 0 ? targets(a.stdout) : new Set(), config: b.exitCode === 0 ? targets(b.stdout) : new Set(), domblklist: c.stdout.trim() };
}

export interface DetachState {
  hostId: string;
  dom: DiskVmRead;
  /** Which VMs use which image: read only when the volume is deleted too. */
  users: Map<string, Set<string>> | null;
  /** The libvirt secret of an encrypted volume being deleted (usage: its path), or null. */
  secret: string | null;
}

/**
 * The refusals of a detach that need nothing but the VM as read (pure): the disk exists where it
 * is detached from; with `deleteVolume`, it is a pool volume the VM would no longer use.
 */
export function detachTarget(input: DetachInput, target: string, s: Pick<DetachState, 'hostId' | 'dom'>) {
  const { dom, hostId } = s;
  const vm = dom.domain.name;
  const liveDisk = dom.liveDisks.find((d) => d.target === target);
  const configDisk = dom.configDisks.find((d) => d.target === target);
  if (!liveDisk && !configDisk) throw notFound(`Disk ${target} of ${vm}`);
  if (input.live && !isRunning(dom)) throw conflict('vm-not-running', `${vm} is ${dom.domain.state}: there is nothing to detach live. Detach persistently instead.`, { offer: { live: false, persistent: true } });
  if (input.live && !liveDisk) throw conflict('not-attached-live', `${target} is not in the running ${vm} (only in its persistent configuration): detach persistently.`, { offer: { live: false, persistent: true } });
  if (input.persistent && !configDisk) throw conflict('not-attached-persistent', `${target} is only in the running ${vm}, not in its persistent configuration: detach live.`, { offer: { live: true, persistent: false } });
  const disk = (liveDisk ?? configDisk)!;
  let volume: VolumeDto | null = null;
  if (input.deleteVolume) {
    volume = (disk.source ? volumesByPath(dom.storage).get(disk.source) : undefined) ?? null;
    if (disk.sourcePool && disk.sourceVolume) volume = (dom.storage.volumes.get(disk.sourcePool) ?? []).find((v) => v.name === disk.sourceVolume) ?? null;
    if (!volume) throw conflict('not-a-volume', `${disk.source ?? target} is not a volume of any pool on ${hostId}, so the console will not delete it`);
    const stillUsed = (input.live && !input.persistent && configDisk) || (input.persistent && !input.live && liveDisk);
    if (stillUsed)
      throw guardError({ hazard: 'volume-in-use', name: volume.name, message: `${vm} would still use ${volume.name} (${input.live ? 'in its persistent configuration' : 'while running'}): detach it both live and persistently to delete the volume`, affected: { usedBy: [vm] } });
  }
  return { disk, volume };
}

/**
 * The plan of a detach (pure: validated input + the VM and its host as read → steps):
 * `detach-disk`, and with `deleteVolume` the volume's `vol-delete` and its LUKS secret's
 * `secret-undefine` — the `delete-volume` hazard, refused while other VMs use the volume or other
 * images are based on it. What is lost (the volume, snapshot state kept in it) is `destroys`.
 */
export function planDetach(uri: string, input: DetachInput, target: string, s: DetachState): Plan & { volume: VolumeDto | null } {
  const { dom } = s;
  const vm = dom.domain.name;
  const { volume: vol } = detachTarget(input, target, s);
  const steps: Step[] = [{ title: `Detach ${target} from ${vm} (${modeWords(input.live, input.persistent)})`, inv: virsh(uri, call('detach-disk', ...liveFlags(input.live, input.persistent), '--', vm, target)) }];
  const discards: string[] = [];
  if (!vol) return { ...planOf(`Detach ${target} from ${vm}`, steps, { destroys: discards }), volume: null };
  if (!s.users) throw new Error('planDetach: deleting the volume needs the image users read');
  const others = usersOf(s.users, vol.path, vol.pool, vol.name).filter((x) => x !== vm);
  if (others.length) throw guardError({ hazard: 'volume-in-use', name: vol.name, message: `${vol.pool}/${vol.name} is also used by ${others.join(', ')}: it will not be deleted`, affected: { usedBy: others } });
  const overlays = [...dom.storage.volumes.values()].flat().filter((x) => x.backingStore?.path === vol.path);
  if (overlays.length)
    throw guardError({ hazard: 'volume-has-overlays', name: vol.name, message: `${vol.pool}/${vol.name} is the backing file of ${overlays.map((o) => `${o.pool}/${o.name}`).join(', ')}: deleting it would break them`, affected: { overlays: overlays.map((o) => `${o.pool}/${o.name}`) } });
  const snaps = dom.snapshotXml.filter((x) => x.disks.some((d) => d.name === target && d.snapshot !== 'no'));
  if (snaps.length) discards.push(`the state of ${target} kept in snapshot(s) ${snaps.map((x) => x.name).join(', ')} (stored in this image)`);
  discards.unshift(`volume ${vol.pool}/${vol.name} (${vol.path}) and all data on it`);
  steps.push({ title: `Delete volume ${vol.pool}/${vol.name}`, inv: virsh(uri, call('vol-delete', '--pool', vol.pool, '--', vol.name)) });
  // A LUKS volume's passphrase secret (usage: its path) goes with it.
  if (s.secret) steps.push({ title: `Remove the libvirt secret of ${vol.name} (its LUKS passphrase)`, inv: virsh(uri, call('secret-undefine', '--', s.secret)) });
  return {
    ...planOf(`Detach ${target} from ${vm} and delete ${vol.pool}/${vol.name}`, steps, {
      destroys: discards,
      guard: { hazard: 'delete-volume', confirmWith: vol.name, message: `Deleting ${vol.pool}/${vol.name} destroys its data` },
    }),
    volume: vol,
  };
}

export async function detachDisk(hostId: string, vm: string, target: string, body: unknown): Promise<DomainActionResultDto> {
  const input = DetachDiskInput.parse(body ?? {});
  const host = findHost(hostId);
  const t = transportFor(host);
  const dom = await readDomain(hostId, vm, { fresh: true });
  const { disk, volume } = detachTarget(input, target, { hostId, dom });
  const users = volume ? await imageUsers(t, host.uri, dom.storage) : null;
  const secret = volume?.encryption ? await volumeSecret(t, host.uri, volume.path) : null;
  const plan = planDetach(host.uri, input, target, { hostId, dom, users, secret });
  const mode = modeWords(input.live, input.persistent);
  if (input.dryRun) return previewResult(plan, `Would detach ${target} (${disk.source ?? 'no media'}) from ${vm}, ${mode}`, { warnings: liveWarning(input.live) });
  if (plan.guard) guard({ hazard: plan.guard.hazard, name: plan.guard.confirmWith, confirm: input.confirm, message: plan.guard.message, affected: plan.destroys });

  // Two stages: virsh's exit code does not say the guest let go, so the volume is deleted only
  // once the XML no longer has the disk.
  const [detach, ...rest] = plan.steps;
  const done = await runOnHost(hostId, t, [detach!], { timeoutMs: 120_000 });
  const check = await waitReleased(t, host.uri, vm, target, input.live ? input.waitMs : 0);
  if ((input.live && check.live.has(target)) || (input.persistent && check.config.has(target))) {
    const where = [input.live && check.live.has(target) && 'the running VM', input.persistent && check.config.has(target) && 'the persistent configuration'].filter(Boolean).join(' and ');
    throw new AppError(
      'detach-not-released',
      input.live && check.live.has(target)
        ? `${vm} did not release ${target} within ${Math.round(input.waitMs / 1000)} s: the unplug request was sent, but the guest has not acknowledged it (a guest without an OS, or without ACPI hot-plug support, never will). The disk is still attached live${input.persistent && !check.config.has(target) ? '; it was removed from the persistent configuration' : ''}.${rest.length ? ' The volume was not deleted.' : ''}`
        : `${target} is still in ${where} after the detach`,
      { status: 504, detail: { target, stillIn: where, waitedMs: input.waitMs, steps: done, domblklist: check.domblklist } },
    );
  }
  done.push({ title: 'Check: virsh domblklist --details', command: renderCheck(host.uri, vm), ok: true, output: check.domblklist });
  if (rest.length) done.push(...(await runOnHost(hostId, t, rest, { timeoutMs: 120_000, done })));
  return ranResult(plan, done, `Detached ${target} from ${vm} (${mode})${volume ? ` and deleted ${volume.pool}/${volume.name}` : ''}`);
}

const liveWarning = (live: boolean) => (live ? ['A live detach asks the guest to release the disk; the console waits for it and reports a guest that does not answer.'] : []);

/** Poll the VM's XML until the target is gone from the live definition, or the time is up. */
async function waitReleased(t: Transport, uri: string, vm: string, target: string, waitMs: number) {
  const until = Date.now() + waitMs;
  for (;;) {
    const check = await verifyTargets(t, uri, vm);
    if (!check.live.has(target) || Date.now() >= until) return check;
    await new Promise((r) => setTimeout(r, 500));
  }
}

export interface MediaChange {
  /** An absolute path to insert, or null to eject. */
  source: string | null;
  /** Default: live when the VM runs. */
  live?: boolean;
  /** Default: true. */
  persistent?: boolean;
}

/** The CD-ROM (or floppy) drive a media change is for (pure): it exists and is removable. */
export function removableDrive(dom: Pick<DomainRead, 'domain' | 'disks'>, target: string) {
  const disk = dom.disks.find((d) => d.target === target);
  if (!disk) throw notFound(`Disk ${target} of ${dom.domain.name}`);
  if (disk.device !== 'cdrom' && disk.device !== 'floppy') throw conflict('not-removable', `${target} is a ${disk.device}, not a CD-ROM drive: detach it instead`);
  return disk;
}

/** The plan of a media change (pure): one `change-media --insert --source PATH | --eject`, live and/or persistent. */
export function planChangeMedia(uri: string, dom: Pick<DomainRead, 'domain' | 'disks'>, target: string, m: MediaChange): Plan {
  const vm = dom.domain.name;
  removableDrive(dom, target);
  const running = isRunning(dom);
  const live = m.live ?? running;
  const persistent = m.persistent ?? true;
  if (live && !running) throw conflict('vm-not-running', `${vm} is ${dom.domain.state}: change the media persistently`);
  const args = m.source ? ['--insert', '--source', m.source] : ['--eject'];
  const title = m.source ? `Insert ${m.source} into ${target}` : `Eject ${target}`;
  return planOf(title, [{ title, inv: virsh(uri, call('change-media', ...args, ...liveFlags(live, persistent), '--', vm, target)) }]);
}

/** CD-ROM media: insert a file (ISO) or eject, live and/or persistent (`change-media`). */
export async function changeMedia(hostId: string, vm: string, target: string, body: unknown): Promise<DomainActionResultDto> {
  const b = (body ?? {}) as { source?: unknown; live?: unknown; persistent?: unknown; dryRun?: unknown };
  const source = typeof b.source === 'string' && b.source ? b.source : null;
  if (source !== null && !/^\/[^\x00-\x1f\x7f]*$/.test(source)) throw badRequest('source must be an absolute path (or null to eject)');
  const host = findHost(hostId);
  const dom = await readDomain(hostId, vm, { fresh: true });
  removableDrive(dom, target);
  // The path policy: an image under the host's allowed roots, a free device, or a pool volume.
  if (source) await requireAllowedPaths(host, [{ path: source, kind: 'media', allow: { roots: true, devices: true, poolVolumes: true } }], { storage: dom.storage });
  if (source && ![...dom.storage.volumes.values()].some((vols) => vols.some((x) => x.path === source)))
    requireRole('admin', `Inserting ${source}, a path outside the pools,`);
  const plan = planChangeMedia(host.uri, dom, target, {
    source,
    ...(b.live === undefined ? {} : { live: b.live === true }),
    ...(b.persistent === undefined ? {} : { persistent: b.persistent === true }),
  });
  if (b.dryRun === true) return previewResult(plan, plan.title);
  return ranResult(plan, await runOnHost(hostId, transportFor(host), plan, { timeoutMs: 120_000 }), plan.title);
}
