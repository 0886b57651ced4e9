import 'server-only';
import { poolTypesWhere } from '@/lib/pool-types';
import {
  AmendInput,
  CheckInput,
  CommitInput,
  CompareInput,
  DeleteInput,
  RebaseInput,
  ResizeInput,
  type CheckResult,
  type MapResult,
  type OperationResult,
  type VolumeDto,
} from '@/lib/schemas';
import { toQemuSize } from '@/lib/units';
import { command } from '../commands/command';
import { renderInvocation } from '../commands/shell';
import { call, virsh } from '../commands/virsh';
import { AppError, badRequest } from '../errors';
import { guard, guardError } from '../operations/guards';
import { invalidate } from '../hosts/storage-cache';
import { parseImageInfo } from '../qemu-img/info';
import { requireBackingInsidePools } from '../policy/require-paths';
import { volumeSecret } from '../virsh/secrets';
import { describeStep, planOf, type Plan, type Step } from '../operations/plan';
import { runPlan, type RunOptions } from '../operations/run';
import { runOnHost } from '../operations/run-on-host';
import type { ExecResult, Transport } from '../transport/types';
import { dependantsOf, FILE_POOLS, findVolume, runningVms, volumeByPath, volumeContext, type VolumeContext, type VolumeRead } from './context';
import { guardOverlays, refuseIfEncrypted, refuseIfRunning, refuseVmdkDescriptor } from './guards';
import { refreshStep } from './steps';

/**
 * The qemu-img and virsh operations on one volume. Each: read the host fresh, guard, plan the
 * exact commands (returned as the preview with `dryRun`), run them, refresh the pool.
 */

const u = (ctx: VolumeRead) => (ctx.runningUsers.length ? ['-U'] : []);
const fmt = (ctx: VolumeRead) => {
  if (!ctx.volume.format) throw badRequest(`libvirt does not know the format of ${ctx.volume.name}: qemu-img needs it (-f) to avoid probing`);
  return ctx.volume.format;
};
/** qemu-img can open the image by path, and (unless only headers are read: `keyless`) without a key it has no way to get. */
const qemuCapable = (ctx: VolumeRead, what: string, keyless = false) => {
  if (ctx.volume.type !== 'file' && ctx.volume.type !== 'block')
    throw badRequest(`qemu-img cannot open a ${ctx.volume.type} volume by path (${ctx.volume.name})`);
  if (!keyless) refuseIfEncrypted(ctx.volume, what);
};

/** A volume operation's plan, with what the answer warns about. */
export type VolumePlan = Plan & { warnings?: string[] };

/** A dry run answers the plan's preview; a real run runs it (runPlan) and drops the cached host read. */
async function execute(ctx: VolumeContext, hostId: string, plan: VolumePlan, dryRun: boolean): Promise<OperationResult> {
  const warnings = plan.warnings ?? [];
  if (dryRun) return { dryRun: true, steps: plan.steps.map(describeStep), warnings };
  return { dryRun: false, steps: await runOnHost(hostId, ctx.t, plan), warnings };
}

// ---------------------------------------------------------------- info

/** `qemu-img info --output=json --backing-chain` (with -U while a running VM holds it). */
export async function volumeInfo(hostId: string, pool: string, name: string) {
  const ctx = await volumeContext(hostId, pool, name);
  qemuCapable(ctx, 'Reading the image', true);
  const cmd = command('qemu-img', 'info', '--output=json', '--backing-chain', ...u(ctx), '--', ctx.volume.path);
  const r = await ctx.t.exec(cmd, { timeoutMs: 60_000 });
  if (r.exitCode !== 0)
    throw new AppError('command-failed', `qemu-img could not read ${name}`, { status: 502, detail: { command: renderInvocation(cmd), stderr: r.stderr.trim(), exitCode: r.exitCode } });
  return { command: renderInvocation(cmd), chain: parseImageInfo(r.stdout), dependants: ctx.dependants, runningUsers: ctx.runningUsers };
}

// ---------------------------------------------------------------- delete

/**
 * The plan of a delete (pure: input + the volume as read → steps): `vol-delete` (this file only:
 * its backing file is never touched), then the LUKS secret's `secret-undefine` (`secret`, looked
 * up by the service). Refused while a running VM holds it; overlays and the delete itself need the name.
 */
export function planDelete(ctx: VolumeRead, input: ReturnType<typeof DeleteInput.parse>, secret: string | null): VolumePlan {
  const { name, pool } = ctx.volume;
  refuseIfRunning(ctx, `Deleting ${name}`);
  guardOverlays(ctx, `Deleting ${name}`, input.confirm);
  const message = `Deleting ${name} destroys its data${ctx.volume.usedBy.length ? ` and breaks ${ctx.volume.usedBy.join(', ')}, which use${ctx.volume.usedBy.length === 1 ? 's' : ''} it` : ''}`;
  guard({ hazard: 'delete-volume', name, confirm: input.confirm, message, affected: { path: ctx.volume.path, usedBy: ctx.volume.usedBy } });
  const steps: Step[] = [{ title: `Delete ${name}`, inv: virsh(ctx.host.uri, call('vol-delete', '--pool', pool, '--', name)) }];
  // An encrypted volume's passphrase secret (usage: its path) goes with it.
  if (secret) steps.push({ title: `Remove the libvirt secret of ${name} (its LUKS passphrase)`, inv: virsh(ctx.host.uri, call('secret-undefine', '--', secret)) });
  return planOf(`Delete ${name}`, steps, { destroys: [`${ctx.volume.path} and all data on it`], guard: { hazard: 'delete-volume', confirmWith: name, message } });
}

export async function deleteVolume(hostId: string, pool: string, name: string, body: unknown): Promise<OperationResult> {
  const input = DeleteInput.parse(body ?? {});
  const ctx = await volumeContext(hostId, pool, name, { fresh: !input.dryRun });
  planDelete(ctx, input, null); // its refusals and guards before the secret look-up
  const secret = ctx.volume.encryption ? await volumeSecret(ctx.t, ctx.host.uri, ctx.volume.path) : null;
  return execute(ctx, hostId, planDelete(ctx, input, secret), input.dryRun);
}

// ---------------------------------------------------------------- resize

/** Pools whose volumes libvirt cannot resize: partitions, LUNs, multipath maps. */
const NO_RESIZE: ReadonlySet<string> = new Set(poolTypesWhere((s) => !s.volumes.resize));

/**
 * The plan of a resize (pure): `qemu-img resize` + refresh in a file pool, `lvresize` + refresh
 * in a logical one, else `vol-resize`. A shrink is the `shrink` hazard.
 */
export function planResize(ctx: VolumeRead, input: ReturnType<typeof ResizeInput.parse>): VolumePlan {
  const { name, pool } = ctx.volume;
  refuseIfRunning(ctx, `Resizing ${name}`);
  const current = ctx.volume.capacity;
  if (input.capacity === current) throw badRequest(`${name} is already ${current} bytes`);
  const shrink = input.capacity < current;
  guardOverlays(ctx, `Resizing ${name}`, input.confirm);
  if (shrink)
    guard({
      hazard: 'shrink',
      name,
      confirm: input.confirm,
      message: `Shrinking ${name} from ${current} to ${input.capacity} bytes cuts off the end of the disk: shrink the guest's filesystem and partition first, or data is lost`,
      affected: { from: current, to: input.capacity, path: ctx.volume.path },
    });
  const steps: Step[] = [];
  // An encrypted image is resized by libvirt, which opens it with its secret; qemu-img could not.
  if (FILE_POOLS.has(ctx.pool.type) && !ctx.volume.encryption) {
    steps.push({
      title: `${shrink ? 'Shrink' : 'Grow'} ${name} to ${toQemuSize(input.capacity)}`,
      inv: command('qemu-img', 'resize', '-f', fmt(ctx), ...(shrink ? ['--shrink'] : []), '--', ctx.volume.path, String(input.capacity)),
    });
    steps.push(refreshStep(ctx.host.uri, pool));
  } else if (ctx.pool.type === 'logical') {
    // libvirt 9.0's logical backend has no vol-resize ("storage pool does not support changing of
    // volume capacity"): LVM does it. A shrink was confirmed by name above, so -f answers lvresize's prompt.
    steps.push({
      title: `${shrink ? 'Shrink' : 'Grow'} logical volume ${name} (LVM rounds up to whole extents)`,
      inv: command('lvresize', ...(shrink ? ['-f'] : []), '-L', `${input.capacity}b`, '--', ctx.volume.path),
    });
    steps.push(refreshStep(ctx.host.uri, pool));
  } else if (NO_RESIZE.has(ctx.pool.type)) {
    throw new AppError('resize-unsupported', `a volume of a ${ctx.pool.type} pool is a partition, LUN or device: resize it on the storage itself, then refresh the pool`, { status: 422 });
  } else {
    steps.push({
      title: `${shrink ? 'Shrink' : 'Grow'} ${name}`,
      inv: virsh(ctx.host.uri, call('vol-resize', '--pool', pool, ...(shrink ? ['--shrink'] : []), '--', name, String(input.capacity))),
    });
  }
  const warnings = shrink ? [] : ['grow the partition and filesystem inside the guest to use the new space'];
  return { ...planOf(`${shrink ? 'Shrink' : 'Grow'} ${name}`, steps, shrink ? { destroys: [`the data of ${name} past ${input.capacity} bytes`] } : {}), warnings };
}

export async function resizeVolume(hostId: string, pool: string, name: string, body: unknown): Promise<OperationResult> {
  const input = ResizeInput.parse(body);
  const ctx = await volumeContext(hostId, pool, name, { fresh: !input.dryRun });
  return execute(ctx, hostId, planResize(ctx, input), input.dryRun);
}

// ---------------------------------------------------------------- check

const int = (v: unknown) => (typeof v === 'number' ? v : 0);
const intOrNull = (v: unknown) => (typeof v === 'number' ? v : null);

export function parseCheck(stdout: string, stderr: string, exitCode: number | null): CheckResult {
  let j: Record<string, unknown> = {};
  try {
    j = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    /* no JSON: an error or an unsupported format */
  }
  const corruptions = int(j.corruptions);
  const leaks = int(j.leaks);
  const unsupported = exitCode === 63 || /does not support checks/.test(stderr);
  const verdict: CheckResult['verdict'] = unsupported ? 'unsupported' : exitCode === 1 ? 'failed' : corruptions > 0 || exitCode === 2 ? 'corrupt' : leaks > 0 || exitCode === 3 ? 'leaks' : exitCode === 0 ? 'clean' : 'failed';
  return {
    exitCode,
    verdict,
    checkErrors: int(j['check-errors']),
    corruptions,
    leaks,
    corruptionsFixed: int(j['corruptions-fixed']),
    leaksFixed: int(j['leaks-fixed']),
    totalClusters: intOrNull(j['total-clusters']),
    allocatedClusters: intOrNull(j['allocated-clusters']),
    fragmentedClusters: intOrNull(j['fragmented-clusters']),
    imageEndOffset: intOrNull(j['image-end-offset']),
    message: stderr.trim() || (verdict === 'clean' ? 'No errors were found on the image.' : ''),
  };
}

/** Every exit code of `qemu-img check` is an answer (0 clean, 1 not completed, 2 corrupt, 3 leaks, 63 unsupported): parseCheck reads it. */
const CHECK_EXITS = [0, 1, 2, 3, 63] as const;

/** The plan of a check (pure): one `qemu-img check --output=json`, with `-r` a repair (a write: refused while a VM runs it). */
export function planCheck(ctx: VolumeRead, input: ReturnType<typeof CheckInput.parse>): Plan {
  const name = ctx.volume.name;
  qemuCapable(ctx, 'A consistency check');
  // Repair writes metadata: only while no VM at all has the image configured and running.
  if (input.repair) refuseIfRunning(ctx, `Repairing ${name}`);
  const cmd = command('qemu-img', 'check', '--output=json', '-f', fmt(ctx), ...(input.repair ? ['-r', input.repair] : u(ctx)), '--', ctx.volume.path);
  return planOf(`Check ${name}`, [{ title: `Check ${name}`, inv: cmd, okExit: CHECK_EXITS }]);
}

/** Run a check plan; the verdict from qemu-img's JSON and exit code (the step's raw result). */
export async function runCheck(t: Transport, plan: Plan, opts: RunOptions): Promise<{ stdout: string; result: CheckResult }> {
  let raw: ExecResult | undefined;
  await runPlan(t, plan, { ...opts, onExec: (_s, r) => (raw = r) });
  return { stdout: raw!.stdout, result: parseCheck(raw!.stdout, raw!.stderr, raw!.exitCode) };
}

export async function checkVolume(hostId: string, pool: string, name: string, body: unknown): Promise<OperationResult> {
  const input = CheckInput.parse(body ?? {});
  const ctx = await volumeContext(hostId, pool, name, { fresh: !input.dryRun });
  const plan = planCheck(ctx, input);
  const step = plan.steps[0]!;
  if (input.dryRun) return { dryRun: true, steps: [{ title: step.title, command: renderInvocation(step.inv) }], warnings: [] };
  try {
    const { stdout, result } = await runCheck(ctx.t, plan, { timeoutMs: 600_000 });
    return { dryRun: false, steps: [{ title: step.title, command: renderInvocation(step.inv), output: stdout }], warnings: [], result };
  } finally {
    if (input.repair) invalidate(hostId);
  }
}

// ---------------------------------------------------------------- map

const MAX_EXTENTS = 2000;

/** `qemu-img map --output=json`: which ranges hold data, zeroes, or come from a backing file. */
export async function mapVolume(hostId: string, pool: string, name: string): Promise<MapResult & { command: string }> {
  const ctx = await volumeContext(hostId, pool, name);
  qemuCapable(ctx, 'The allocation map');
  const cmd = command('qemu-img', 'map', '--output=json', '-f', fmt(ctx), ...u(ctx), '--', ctx.volume.path);
  const r = await ctx.t.exec(cmd, { timeoutMs: 120_000 });
  if (r.exitCode !== 0)
    throw new AppError('command-failed', `qemu-img map failed on ${name}`, { status: 502, detail: { command: renderInvocation(cmd), stderr: r.stderr.trim(), exitCode: r.exitCode } });
  const raw = JSON.parse(r.stdout) as Array<{ start: number; length: number; depth: number; data: boolean; zero: boolean; present?: boolean }>;
  return { command: renderInvocation(cmd), ...summarizeMap(raw, ctx.volume.capacity) };
}

export function summarizeMap(
  raw: Array<{ start: number; length: number; depth: number; data: boolean; zero: boolean; present?: boolean }>,
  capacity: number,
): MapResult {
  let extents = raw.map((e) => ({ start: e.start, length: e.length, depth: e.depth, data: e.data, zero: e.zero, present: e.present ?? true }));
  const virtualSize = extents.reduce((m, e) => Math.max(m, e.start + e.length), capacity);
  let merged = false;
  if (extents.length > MAX_EXTENTS) {
    // A picture a few hundred pixels wide cannot show more: bucket by position, keep the "most data" kind.
    merged = true;
    const bucket = Math.ceil(virtualSize / MAX_EXTENTS);
    const out: typeof extents = [];
    for (const e of extents) {
      const b = Math.floor(e.start / bucket);
      const last = out[out.length - 1];
      if (last && Math.floor(last.start / bucket) === b) {
        last.length = e.start + e.length - last.start;
        if (e.data && !last.data) Object.assign(last, { data: true, zero: false, depth: e.depth, present: true });
      } else out.push({ ...e });
    }
    extents = out;
  }
  return { virtualSize, extents, merged };
}

// ---------------------------------------------------------------- compare

export async function compareVolumes(hostId: string, pool: string, name: string, body: unknown) {
  const input = CompareInput.parse(body);
  const ctx = await volumeContext(hostId, pool, name);
  qemuCapable(ctx, 'Comparing');
  await refuseVmdkDescriptor(ctx, `Comparing ${name}`);
  const other = findVolume(ctx.storage, hostId, input.other.pool, input.other.name);
  refuseIfEncrypted(other, 'Comparing');
  return compareImages(ctx, fmt(ctx), other, { strict: input.strict, timeoutMs: 600_000 });
}

/** `qemu-img compare -f SRC -F OTHER [-s] [-U] -- A B`: exit 0 identical, 1 different, 2+ could not compare. */
export async function compareImages(ctx: VolumeContext, srcFmt: string, other: VolumeDto, opts: { strict: boolean; timeoutMs: number }) {
  if (!other.format) throw badRequest(`the format of ${other.name} is unknown`);
  const running = runningVms(ctx.storage);
  // The path policy: both images' backing chains (and vmdk extents) inside the host's pools.
  await requireBackingInsidePools(ctx.host, [{ path: ctx.volume.path, format: srcFmt }, { path: other.path, format: other.format }], { storage: ctx.storage });
  const force = ctx.runningUsers.length > 0 || other.usedBy.some((vm) => running.has(vm));
  const cmd = command('qemu-img', 'compare', '-f', srcFmt, '-F', other.format, ...(opts.strict ? ['-s'] : []), ...(force ? ['-U'] : []), '--', ctx.volume.path, other.path);
  const r = await ctx.t.exec(cmd, { timeoutMs: opts.timeoutMs, audit: { title: `Compare ${ctx.volume.name} with ${other.name}` } });
  if (r.exitCode !== 0 && r.exitCode !== 1)
    throw new AppError('command-failed', `qemu-img could not compare ${ctx.volume.name} and ${other.name}`, { status: 502, detail: { command: renderInvocation(cmd), stderr: r.stderr.trim(), exitCode: r.exitCode } });
  return { identical: r.exitCode === 0, message: (r.stdout + r.stderr).trim(), command: renderInvocation(cmd) };
}


// ---------------------------------------------------------------- rebase

/**
 * The plan of a rebase (pure): `qemu-img rebase -p` (safe: copies what differs) or `-u` (unsafe:
 * the header only, the `unsafe-rebase` hazard) onto another volume, or a flatten; then a refresh.
 */
export function planRebase(ctx: VolumeRead, input: ReturnType<typeof RebaseInput.parse>): VolumePlan & { newBase: VolumeDto | null } {
  const { name, pool } = ctx.volume;
  const hostId = ctx.host.id;
  qemuCapable(ctx, 'Rebasing');
  refuseIfRunning(ctx, `Rebasing ${name}`);
  const f = fmt(ctx);
  if (f !== 'qcow2' && f !== 'qed') throw badRequest(`only qcow2 (and qed) images have a backing file to change; ${name} is ${f}`);
  const nb = input.backing ? findVolume(ctx.storage, hostId, input.backing.pool, input.backing.name) : null;
  if (nb && !nb.format) throw badRequest(`the format of ${nb.name} is unknown, and a backing file needs one (-F)`);
  if (nb && (nb.path === ctx.volume.path || ctx.dependants.some((d) => d.path === nb.path)))
    throw badRequest(`${nb.name} is ${nb.path === ctx.volume.path ? 'this image' : 'based on this image'}: that would make a loop`);
  if (!nb && input.unsafe) throw badRequest('an unsafe rebase onto no backing file would lose the backing data: use the safe mode to flatten');
  if (input.unsafe)
    guard({
      hazard: 'unsafe-rebase',
      name,
      confirm: input.confirm,
      message: `An unsafe rebase (-u) only rewrites the header of ${name}: if ${nb?.name} does not hold the same data as the current backing file, the guest sees a corrupted disk`,
      affected: { from: ctx.volume.backingStore?.path ?? null, to: nb?.path ?? null },
    });
  const args = ['rebase', '-f', f, ...(input.unsafe ? ['-u'] : ['-p']), '-b', nb ? nb.path : '', ...(nb ? ['-F', nb.format ?? 'raw'] : []), '--', ctx.volume.path];
  const steps: Step[] = [
    { title: nb ? `Rebase ${name} onto ${nb.name}${input.unsafe ? ' (unsafe: header only)' : ''}` : `Flatten ${name}: copy the backing data in`, inv: command('qemu-img', ...args) },
    refreshStep(ctx.host.uri, pool),
  ];
  return { ...planOf(steps[0]!.title, steps), newBase: nb };
}

export async function rebaseVolume(hostId: string, pool: string, name: string, body: unknown): Promise<OperationResult> {
  const input = RebaseInput.parse(body);
  const ctx = await volumeContext(hostId, pool, name, { fresh: !input.dryRun });
  const plan = planRebase(ctx, input);
  const nb = plan.newBase;
  // The path policy: the old chain (a safe rebase reads it) and the new base's chain inside the pools.
  await requireBackingInsidePools(ctx.host, [{ path: ctx.volume.path, format: fmt(ctx) }, ...(nb ? [{ path: nb.path, format: nb.format }] : [])], { storage: ctx.storage });
  return execute(ctx, hostId, plan, input.dryRun);
}

// ---------------------------------------------------------------- commit

/**
 * The plan of a commit (pure): `qemu-img commit -p` of the overlay into its backing file, then a
 * refresh of both pools. Refused while a VM runs either; a base other images use is the
 * `base-has-other-overlays` hazard.
 */
export function planCommit(ctx: VolumeRead, input: ReturnType<typeof CommitInput.parse>): VolumePlan {
  const { name, pool } = ctx.volume;
  qemuCapable(ctx, 'Committing');
  const basePath = ctx.volume.backingStore?.path;
  if (!basePath) throw new AppError('no-backing', `${name} has no backing file to commit into`, { status: 409 });
  refuseIfRunning(ctx, `Committing ${name}`);
  const base = volumeByPath(ctx.storage, basePath);
  const running = runningVms(ctx.storage);
  const baseRunning = base?.usedBy.filter((vm) => running.has(vm)) ?? [];
  if (baseRunning.length)
    throw guardError({ hazard: 'volume-in-use', name: base?.name ?? basePath, message: `Committing into ${base?.name ?? basePath} is refused: ${baseRunning.join(', ')} uses it and is running`, affected: { runningVms: baseRunning, volume: basePath } });
  // Other images built on the base see its content change under them: the classic way to lose a base.
  const mine = new Set([ctx.volume.path, ...ctx.dependants.map((d) => d.path)]);
  const others = dependantsOf(ctx.storage, basePath).filter((d) => !mine.has(d.path));
  const baseName = base?.name ?? basePath;
  if (others.length)
    guard({
      hazard: 'base-has-other-overlays',
      name: baseName,
      confirm: input.confirm,
      message: `Committing ${name} writes into ${baseName}, which ${others.length} other image${others.length === 1 ? ' is' : 's are'} based on: they would be corrupted`,
      affected: others,
    });
  const steps: Step[] = [{ title: `Commit ${name} into ${baseName}`, inv: command('qemu-img', 'commit', '-p', '-f', fmt(ctx), '--', ctx.volume.path) }];
  if (base && base.pool !== pool) steps.push(refreshStep(ctx.host.uri, base.pool));
  steps.push(refreshStep(ctx.host.uri, pool));
  return planOf(steps[0]!.title, steps);
}

export async function commitVolume(hostId: string, pool: string, name: string, body: unknown): Promise<OperationResult> {
  const input = CommitInput.parse(body ?? {});
  const ctx = await volumeContext(hostId, pool, name, { fresh: !input.dryRun });
  const plan = planCommit(ctx, input);
  // The path policy: commit writes into the backing file, which must be inside a pool.
  await requireBackingInsidePools(ctx.host, [{ path: ctx.volume.path, format: fmt(ctx) }], { storage: ctx.storage });
  return execute(ctx, hostId, plan, input.dryRun);
}

// ---------------------------------------------------------------- amend

/** The plan of an amend (pure): one `qemu-img amend -o compat=…,lazy_refcounts=…` of a qcow2 no VM runs. */
export function planAmend(ctx: VolumeRead, input: ReturnType<typeof AmendInput.parse>): VolumePlan {
  const name = ctx.volume.name;
  qemuCapable(ctx, 'Amending');
  if (fmt(ctx) !== 'qcow2') throw badRequest(`amend changes qcow2 options; ${name} is ${ctx.volume.format}`);
  refuseIfRunning(ctx, `Amending ${name}`);
  const o: string[] = [];
  if (input.compat) o.push(`compat=${input.compat}`);
  if (input.lazyRefcounts !== undefined) o.push(`lazy_refcounts=${input.lazyRefcounts ? 'on' : 'off'}`);
  if (!o.length) throw badRequest('nothing to change: give compat and/or lazyRefcounts');
  if (input.compat === '0.10' && input.lazyRefcounts) throw badRequest('lazy refcounts need compat 1.1');
  const steps: Step[] = [{ title: `Amend ${name}: ${o.join(', ')}`, inv: command('qemu-img', 'amend', '-f', 'qcow2', '-o', o.join(','), '--', ctx.volume.path) }];
  return planOf(steps[0]!.title, steps);
}

export async function amendVolume(hostId: string, pool: string, name: string, body: unknown): Promise<OperationResult> {
  const input = AmendInput.parse(body ?? {});
  const ctx = await volumeContext(hostId, pool, name, { fresh: !input.dryRun });
  return execute(ctx, hostId, planAmend(ctx, input), input.dryRun);
}
