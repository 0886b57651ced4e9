import 'server-only';
import { SnapshotCreateInput, type DomainActionResultDto, type SnapshotListDto } from '@/lib/schemas';
import { call, virsh } from '../commands/virsh';
import { AppError, badRequest, conflict, notFound } from '../errors';
import { guard } from '../operations/guards';
import { findHost } from '../hosts/inventory';
import { requireAllowedPaths } from '../policy/require-paths';
import { transportFor } from '../hosts/transports';
import { buildSnapshotXml, type SnapshotXmlInput } from '../xml/snapshot';
import { previewResult, ranResult } from './action-result';
import { runOnHost } from '../operations/run-on-host';
import { planOf, type Plan, type Step } from '../operations/plan';
import { readDomain, type DomainRead } from './read';

/**
 * Domain snapshots (https://libvirt.org/kbase/snapshots.html), as the tutorial's section 3.6
 * sorts them:
 * - internal: saved inside each qcow2 disk; of a running VM always with its memory (a
 *   checkpoint: QEMU pauses the guest while it writes), of a shut-off VM disk state only.
 *   Every disk must be qcow2.
 * - external, disk-only: each disk gets a new qcow2 overlay that takes all later writes; the
 *   old file becomes its read-only base and holds the snapshot's moment. Of a running VM this
 *   is crash-consistent (like pulling the plug) unless a guest agent quiesces the filesystems.
 *   `--atomic` makes it all-or-nothing across disks (one QEMU transaction).
 */

export async function listSnapshots(hostId: string, vm: string): Promise<SnapshotListDto> {
  return (await readDomain(hostId, vm)).snapshots;
}

const running = (d: Pick<DomainRead, 'domain'>) => d.domain.state === 'running' || d.domain.state === 'paused';
const snapshotable = (d: DomainRead['configDisks'][number]) => d.device === 'disk' && !!d.source && !d.readonly;

type CreateInput = ReturnType<typeof SnapshotCreateInput.parse>;

export interface SnapshotCreatePlan extends Plan {
  xml: string;
  /** New overlay files of an external snapshot (the path policy checks them before anything runs). */
  overlays: string[];
  warnings: string[];
}

/**
 * The plan of a snapshot (pure: validated input + the VM and its host as read → steps):
 * `snapshot-create --atomic` with the snapshot XML on stdin, then for an external one a refresh
 * of each pool that gets a new overlay file.
 */
export function planSnapshotCreate(uri: string, input: CreateInput, dom: Pick<DomainRead, 'domain' | 'liveDisks' | 'configDisks' | 'snapshotXml' | 'storage'>): SnapshotCreatePlan {
  const vm = dom.domain.name;
  if (dom.snapshotXml.some((s) => s.name === input.name)) throw conflict('snapshot-exists', `${vm} already has a snapshot named “${input.name}”`);
  const isRunning = running(dom);
  const disks = isRunning ? dom.liveDisks : dom.configDisks;
  const warnings: string[] = [];
  let spec: SnapshotXmlInput;
  const flags: string[] = ['--atomic'];
  if (input.kind === 'internal') {
    const notQcow2 = disks.filter((d) => snapshotable(d) && d.format !== 'qcow2');
    if (notQcow2.length)
      throw conflict('internal-needs-qcow2', `An internal snapshot is stored inside each disk, which only qcow2 can do: ${notQcow2.map((d) => `${d.target} is ${d.format ?? 'of unknown format'}`).join(', ')}. Take an external snapshot instead.`, {
        disks: notQcow2.map((d) => d.target),
      });
    if (isRunning && !input.memory)
      throw badRequest('QEMU cannot take an internal disk-only snapshot of a running VM: include the memory (a checkpoint), or take an external disk-only snapshot');
    spec = { name: input.name, description: input.description, memory: isRunning ? 'internal' : 'no', disks: disks.map((d) => ({ target: d.target, snapshot: snapshotable(d) ? 'internal' : 'no' })) };
    if (isRunning) warnings.push(`${vm} is paused while its memory (${Math.round(dom.domain.memory / 2 ** 20)} MiB) is saved into the first disk.`);
  } else {
    if (input.quiesce && !dom.domain.guestAgent)
      throw conflict('no-guest-agent', `Quiescing needs the QEMU guest agent in ${vm} (a virtio channel org.qemu.guest_agent.0 and qemu-guest-agent running); ${vm} has none. Take it without quiesce: the snapshot is then crash-consistent.`);
    const taken = new Set([...dom.storage.volumes.values()].flat().map((v) => v.path));
    const chosen = disks.map((d) => {
      const want = input.disks?.find((x) => x.target === d.target);
      if (!snapshotable(d) || want?.exclude) return { target: d.target, snapshot: 'no' as const };
      if (d.type !== 'file' && d.type !== 'block') throw conflict('external-unsupported-disk', `${d.target} is a ${d.type} disk; the console makes external snapshots of file and block disks only`);
      const file = want?.file ?? defaultOverlay(d.source as string, input.name);
      if (taken.has(file)) throw conflict('file-exists', `${file} already exists: choose another file for ${d.target}`, { target: d.target, file });
      return { target: d.target, snapshot: 'external' as const, file };
    });
    if (!chosen.some((c) => c.snapshot === 'external')) throw badRequest('no disk left to snapshot');
    spec = { name: input.name, description: input.description, memory: 'no', disks: chosen };
    flags.push('--disk-only');
    if (input.quiesce) flags.push('--quiesce');
    if (isRunning) warnings.push('The VM keeps running: this snapshot is crash-consistent (like pulling the plug) unless quiesced; the guest may need a filesystem check after a revert.');
    warnings.push('Each disk switches to its new overlay file; the old file becomes its read-only backing file and must not be written to or deleted.');
  }
  const xml = buildSnapshotXml(spec);
  const title = `Create ${input.kind} snapshot ${input.name} of ${vm}`;
  const steps: Step[] = [{ title, inv: virsh(uri, call('snapshot-create', '--xmlfile', '/dev/stdin', ...flags, '--', vm)), stdin: xml, stdinName: 'snapshot.xml' }];
  const overlays = spec.disks.flatMap((d) => (d.file ? [d.file] : []));
  // New overlay files appear in their pools only after a refresh.
  const pools = new Set<string>();
  for (const file of overlays) {
    const dir = file.slice(0, file.lastIndexOf('/'));
    const p = dom.storage.pools.find((x) => x.state === 'running' && x.target.path?.replace(/\/$/, '') === dir);
    if (p) pools.add(p.name);
  }
  for (const p of pools) steps.push({ title: `Refresh pool ${p}`, inv: virsh(uri, call('pool-refresh', '--', p)) });
  return { ...planOf(title, steps), xml, overlays, warnings };
}

export async function createSnapshot(hostId: string, vm: string, body: unknown): Promise<DomainActionResultDto> {
  const input = SnapshotCreateInput.parse(body);
  const host = findHost(hostId);
  const dom = await readDomain(hostId, vm, { fresh: true });
  const plan = planSnapshotCreate(host.uri, input, dom);
  const { xml, warnings } = plan;
  // The path policy: every new overlay file lies under the host's allowed roots.
  if (plan.overlays.length)
    await requireAllowedPaths(host, plan.overlays.map((path) => ({ path, kind: 'overlay' as const, allow: { roots: true, devices: false } })), { storage: dom.storage });
  if (input.dryRun) return previewResult(plan, `Would create ${input.kind} snapshot ${input.name}`, { xml, warnings });
  const t = transportFor(host);
  const done = await runOnHost(hostId, t, plan, { timeoutMs: 600_000 });
  const check = await t.exec(virsh(host.uri, call('snapshot-list', '--name', '--', vm)), { timeoutMs: 30_000 });
  if (!check.stdout.split('\n').map((s) => s.trim()).includes(input.name))
    throw new AppError('snapshot-not-verified', `virsh reported success, but ${input.name} is not in snapshot-list`, { status: 502, detail: { steps: done } });
  return ranResult(plan, done, `Created ${input.kind} snapshot ${input.name} of ${vm}`, { xml, warnings });
}

/** `/dir/disk.qcow2` + `s1` → `/dir/disk.s1.qcow2` (libvirt's own default would be `/dir/disk.s1`). */
export function defaultOverlay(source: string, snap: string): string {
  const slash = source.lastIndexOf('/');
  const dir = source.slice(0, slash + 1);
  const base = source.slice(slash + 1).replace(/\.(qcow2|img|raw)$/, '');
  return `${dir}${base}.${snap}.qcow2`;
}

function findSnapshot(dom: DomainRead, name: string) {
  const s = dom.snapshots.snapshots.find((x) => x.name === name);
  if (!s) throw notFound(`Snapshot “${name}” of ${dom.domain.name}`);
  return s;
}

type SnapshotInfo = DomainRead['snapshots']['snapshots'][number];

/**
 * The plan of a revert (pure: the VM as read → one `snapshot-revert`): the `snapshot-revert`
 * hazard, confirmed with the VM's name; what is lost (writes since, the running state, the
 * position after the current snapshot) is `destroys`.
 */
export function planSnapshotRevert(uri: string, dom: Pick<DomainRead, 'domain' | 'disks' | 'snapshots'>, s: SnapshotInfo): Plan {
  const vm = dom.domain.name;
  const name = s.name;
  if (!s.canRevert) throw conflict('revert-unsupported', `Cannot revert ${vm} to ${name}: ${s.revertBlocker}`, { snapshot: name });
  const discards = dom.disks
    .filter((d) => d.device === 'disk' && d.source && s.disks.some((x) => x.name === d.target && x.snapshot !== 'no'))
    .map((d) => `everything written to ${d.target} (${d.source}) since ${name} was taken`);
  if (running(dom)) discards.push(`the running state of ${vm} (its memory and open programs) — replaced by ${s.memory === 'no' ? 'a shut-off VM' : `the memory saved in ${name}`}`);
  if (dom.snapshots.current && dom.snapshots.current !== name) discards.push(`your position after ${dom.snapshots.current}: changes since then are in no snapshot`);
  const title = `Revert ${vm} to ${name}`;
  return planOf(title, [{ title, inv: virsh(uri, call('snapshot-revert', '--', vm, name)) }], {
    destroys: discards,
    guard: { hazard: 'snapshot-revert', confirmWith: vm, message: `Reverting ${vm} to ${name} discards its current state` },
  });
}

export async function revertSnapshot(hostId: string, vm: string, name: string, body: unknown): Promise<DomainActionResultDto> {
  const b = (body ?? {}) as { confirm?: unknown; dryRun?: unknown };
  const host = findHost(hostId);
  const dom = await readDomain(hostId, vm, { fresh: true });
  const plan = planSnapshotRevert(host.uri, dom, findSnapshot(dom, name));
  if (b.dryRun === true) return previewResult(plan, `Would revert ${vm} to ${name}`);
  if (plan.guard) guard({ hazard: plan.guard.hazard, name: plan.guard.confirmWith, confirm: typeof b.confirm === 'string' ? b.confirm : undefined, message: plan.guard.message, affected: plan.destroys });
  const t = transportFor(host);
  const done = await runOnHost(hostId, t, plan, { timeoutMs: 600_000 });
  const cur = await t.exec(virsh(host.uri, call('snapshot-current', '--name', '--', vm)), { timeoutMs: 30_000 });
  if (cur.stdout.trim() !== name) throw new AppError('revert-not-verified', `virsh reported success, but the current snapshot is “${cur.stdout.trim()}”`, { status: 502, detail: { steps: done } });
  return ranResult(plan, done, `Reverted ${vm} to ${name}`);
}

/**
 * The plan of a snapshot delete (pure: the VM as read → steps): `snapshot-delete`, then a refresh
 * of each pool holding an external overlay it removes; what is lost, said up front.
 */
export function planSnapshotDelete(uri: string, dom: Pick<DomainRead, 'domain' | 'disks' | 'storage'>, s: SnapshotInfo): Plan {
  const vm = dom.domain.name;
  const name = s.name;
  const discards: string[] = [];
  const ext = s.disks.filter((d) => d.snapshot === 'external');
  if (ext.length) {
    for (const d of ext) discards.push(`the overlay file ${d.file} of ${d.name}: its data is first merged into its backing file (block commit), then the file is deleted`);
  } else {
    const files = dom.disks.filter((d) => s.disks.some((x) => x.name === d.target && x.snapshot === 'internal')).map((d) => d.source);
    discards.push(`the disk state saved in ${name} inside ${files.join(', ') || 'the disks'}${s.memory !== 'no' ? ', and its saved memory' : ''}`);
  }
  discards.push(`the point in time “${name}”: you can no longer revert to it`);
  if (s.children.length) discards.push(`nothing of its children (${s.children.join(', ')}): they move up to ${s.parent ?? 'the root'}`);
  const steps: Step[] = [{ title: `Delete snapshot ${name} of ${vm}`, inv: virsh(uri, call('snapshot-delete', '--', vm, name)) }];
  // An external delete changes files: refresh the pools that hold them so volume lists are true.
  for (const p of new Set(ext.map((d) => dom.storage.pools.find((x) => d.file && x.target.path && d.file.startsWith(x.target.path.replace(/\/$/, '') + '/'))?.name).filter(Boolean) as string[]))
    steps.push({ title: `Refresh pool ${p}`, inv: virsh(uri, call('pool-refresh', '--', p)) });
  return planOf(`Delete snapshot ${name} of ${vm}`, steps, { destroys: discards, guard: { hazard: 'snapshot-delete', confirmWith: name, message: `Deleting snapshot ${name} of ${vm} cannot be undone` } });
}

export async function deleteSnapshot(hostId: string, vm: string, name: string, body: unknown): Promise<DomainActionResultDto> {
  const b = (body ?? {}) as { confirm?: unknown; dryRun?: unknown };
  const host = findHost(hostId);
  const dom = await readDomain(hostId, vm, { fresh: true });
  const s = findSnapshot(dom, name);
  if (!s.canDelete) throw conflict('snapshot-delete-refused', `Cannot delete ${name}: ${s.deleteBlocker}`, { snapshot: name });
  const plan = planSnapshotDelete(host.uri, dom, s);
  if (b.dryRun === true) return previewResult(plan, `Would delete snapshot ${name}`);
  if (plan.guard) guard({ hazard: plan.guard.hazard, name: plan.guard.confirmWith, confirm: typeof b.confirm === 'string' ? b.confirm : undefined, message: plan.guard.message, affected: plan.destroys });
  const done = await runOnHost(hostId, transportFor(host), plan, { timeoutMs: 600_000 });
  return ranResult(plan, done, `Deleted snapshot ${name} of ${vm}`);
}
