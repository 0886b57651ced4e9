import 'server-only';
import path from 'node:path';
import { CheckInput, CloneInput, ConvertInput, WipeInput, type OperationResult, type PoolDto, type Qcow2Options } from '@/lib/schemas';
import { command } from '../commands/command';
import { renderInvocation } from '../commands/shell';
import { call, virsh } from '../commands/virsh';
import { AppError, badRequest } from '../errors';
import { guard } from '../operations/guards';
import { invalidate } from '../hosts/storage-cache';
import { startJob } from '../jobs/jobs';
import { progressParser } from '../jobs/progress';
import { requireAllowedPaths, requireBackingInsidePools } from '../policy/require-paths';
import { FILE_POOLS, findPool, volumeContext, type VolumeContext, type VolumeRead } from './context';
import { escapeXml } from '../xml/escape';
import { qcow2OptionItems } from './formats';
import { refuseIfEncrypted, refuseIfRunning, refuseVmdkDescriptor } from './guards';
import { planCheck, runCheck } from './operations';
import { runPlan } from '../operations/run';
import { runOnHost } from '../operations/run-on-host';
import { refreshStep } from './steps';
import { describeStep, planOf, type Plan, type Step } from '../operations/plan';

/**
 * Operations that take minutes on big images run as jobs: the request answers 202 with the job
 * id at once; the job streams progress (qemu-img `-p`) and can be cancelled (the remote
 * process group is killed). A dry run returns the commands without starting anything.
 */
const LONG = 24 * 3600_000;

function preview(steps: Step[], warnings: string[] = []): OperationResult {
  return { dryRun: true, steps: steps.map(describeStep), warnings };
}

// ---------------------------------------------------------------- convert

/** A convert into a file pool: the exact steps, shared by the generic convert and the VMware flow. */
export interface ConvertPlan {
  dst: string;
  check: Step;
  convert: Step;
  refresh: Step;
}

/**
 * `qemu-img convert -p [-U] -f SRC -O FMT [-c] [-o …] -- SRC DST` into a new file of a file pool.
 * `srcFmt` is what the caller vouches for (libvirt's format, or qemu-img's probe checked by the
 * VMware flow); never a probe at run time.
 */
export function planConvert(
  ctx: VolumeRead,
  srcFmt: string,
  out: { pool: string; name: string; format: string; compress: boolean; options: Qcow2Options },
  title = `Convert ${ctx.volume.name} (${srcFmt}) to ${out.name} (${out.format})`,
): ConvertPlan & { target: PoolDto } {
  const target = findPool(ctx.storage, ctx.host.id, out.pool);
  if (!FILE_POOLS.has(target.type) || !target.target.path) throw badRequest(`convert writes a new image file: pick a dir, fs or netfs pool, not ${target.type} (${target.name})`);
  if ((ctx.storage.volumes.get(target.name) ?? []).some((v) => v.name === out.name))
    throw new AppError('volume-exists', `Pool “${target.name}” already has a volume named “${out.name}”`, { status: 409 });
  if (out.compress && out.format !== 'qcow2' && out.format !== 'qcow') throw badRequest('compression (-c) needs qcow2 or qcow output');
  const dst = path.posix.join(target.target.path, out.name);
  const o = out.format === 'qcow2' ? qcow2OptionItems(out.options) : [];
  const argv = ['convert', '-p', ...(ctx.runningUsers.length ? ['-U'] : []), '-f', srcFmt, '-O', out.format, ...(out.compress ? ['-c'] : []), ...(o.length ? ['-o', o.join(',')] : [])];
  return {
    target,
    dst,
    check: {
      title: `Check that ${dst} does not exist yet`,
      inv: command('test', '!', '-e', dst),
      // The path was free: if the convert fails or is cancelled, what is there is its half-written output.
      undo: { title: `Remove the half-written ${dst}`, inv: command('rm', '-f', '--', dst), timeoutMs: 30_000 },
    },
    convert: { title, inv: command('qemu-img', ...argv, '--', ctx.volume.path, dst) },
    refresh: refreshStep(ctx.host.uri, target.name),
  };
}

/**
 * The path policy of a convert: the source's backing chain (and vmdk extents) inside the host's
 * pools, the destination file (resolved: a symlink planted in the pool is followed) under its roots.
 */
export async function requireConvertPaths(ctx: VolumeContext, srcFmt: string, dst: string): Promise<void> {
  const policy = await requireBackingInsidePools(ctx.host, [{ path: ctx.volume.path, format: srcFmt }], { storage: ctx.storage });
  await requireAllowedPaths(ctx.host, [{ path: dst, kind: 'destination', allow: { roots: true, devices: false } }], { policy });
}

/**
 * Run a planned convert as a job: refuse a file already there, stream qemu-img's `-p` progress,
 * remove the half-written file on failure or cancel (the check step's undo: the path was free, so
 * whatever is there now is this job's), refresh the pool either way.
 */
export async function startConvert(ctx: VolumeContext, plan: ConvertPlan & { target: PoolDto }, meta: { bytesTotal: number | null; flow?: string }): Promise<string> {
  const { dst, check, convert, refresh, target } = plan;
  await runPlan(ctx.t, [check], { timeoutMs: 30_000 }).catch(() => {
    throw new AppError('volume-exists', `${dst} already exists on the host (not yet known to libvirt): pick another name`, { status: 409 });
  });
  const name = path.posix.basename(dst);
  const source = `${ctx.volume.pool}/${ctx.volume.name}`;
  const total = meta.bytesTotal;
  const job = startJob(
    { kind: 'convert', title: convert.title, hostId: ctx.host.id, target: { pool: target.name, volume: name, source, ...(meta.flow ? { flow: meta.flow } : {}) }, command: renderInvocation(convert.inv), bytesTotal: total },
    async (job) => {
      const parse = progressParser();
      try {
        await runPlan(ctx.t, [check, convert], {
          timeoutMs: LONG,
          signal: job.signal,
          onStdout: (b) => {
            const p = parse(b);
            if (p !== null) job.progress({ percent: p, bytesDone: total === null ? null : Math.round((total * p) / 100) });
          },
        });
      } finally {
        await runPlan(ctx.t, [refresh], { timeoutMs: 60_000 }).catch(() => {});
        invalidate(ctx.host.id);
      }
      return { pool: target.name, name, path: dst };
    },
  );
  return job.id;
}

export async function convertVolume(hostId: string, pool: string, name: string, body: unknown): Promise<OperationResult> {
  const input = ConvertInput.parse(body);
  const ctx = await volumeContext(hostId, pool, name, { fresh: !input.dryRun });
  refuseIfEncrypted(ctx.volume, 'Converting');
  await refuseVmdkDescriptor(ctx, `Converting ${name}`);
  const srcFmt = ctx.volume.format;
  if (!srcFmt) throw badRequest(`the format of ${name} is unknown`);
  const plan = planConvert(ctx, srcFmt, { pool: input.pool ?? pool, name: input.name, format: input.format, compress: input.compress, options: input.options });
  await requireConvertPaths(ctx, srcFmt, plan.dst);
  const warnings = ctx.runningUsers.length ? [`${ctx.runningUsers.join(', ')} is running: the copy is crash-consistent at best (-U)`] : [];
  const steps = [plan.check, plan.convert, plan.refresh];
  if (input.dryRun) return preview(steps, warnings);
  const jobId = await startConvert(ctx, plan, { bytesTotal: ctx.volume.capacity });
  return { ...preview(steps, warnings), dryRun: false, jobId };
}

// ---------------------------------------------------------------- clone

/**
 * The plan of a clone (pure): `vol-clone` within the pool, `vol-create-from` (XML on stdin) into
 * another; refused while a VM runs it, for a name taken or a pool without the room.
 */
export function planClone(ctx: VolumeRead, input: ReturnType<typeof CloneInput.parse>): Plan & { target: PoolDto; warnings: string[] } {
  const { name, pool } = ctx.volume;
  const hostId = ctx.host.id;
  refuseIfRunning(ctx, `Cloning ${name}`);
  refuseIfEncrypted(ctx.volume, 'Cloning');
  const target = findPool(ctx.storage, hostId, input.pool ?? pool);
  if (target.state !== 'running') throw new AppError('pool-inactive', `Pool “${target.name}” is not running: start it first`, { status: 409 });
  if ((ctx.storage.volumes.get(target.name) ?? []).some((v) => v.name === input.name))
    throw new AppError('volume-exists', `Pool “${target.name}” already has a volume named “${input.name}”`, { status: 409 });
  const warnings: string[] = [];
  // A file copy takes what the source holds; a device volume is allocated whole.
  const needed = FILE_POOLS.has(target.type) ? ctx.volume.allocation : ctx.volume.capacity;
  if (needed > target.available)
    throw new AppError('insufficient-space', `Pool “${target.name}” has ${target.available} B free; the copy of ${name} needs up to ${needed} B`, { status: 409, detail: { needed, available: target.available } });
  let step: Step;
  if (target.name === pool) {
    step = { title: `Clone ${name} as ${input.name}`, inv: virsh(ctx.host.uri, call('vol-clone', '--pool', pool, '--', name, input.name)) };
  } else {
    // Into another pool: libvirt's vol-create-from copies the data into a volume described by XML
    // (same capacity; same format in a file pool, raw on a device pool).
    const format = FILE_POOLS.has(target.type) ? ctx.volume.format : null;
    if (!FILE_POOLS.has(target.type) && ctx.volume.format && ctx.volume.format !== 'raw')
      warnings.push(`a ${target.type} pool holds raw volumes: the ${ctx.volume.format} image is copied as raw data`);
    if (ctx.volume.backingStore) warnings.push(`${name} has a backing file: the copy in another pool is a full, standalone image (its chain is flattened)`);
    const xml = [
      '<volume>',
      `  <name>${escapeXml(input.name)}</name>`,
      `  <capacity unit='bytes'>${ctx.volume.capacity}</capacity>`,
      ...(format ? ['  <target>', `    <format type='${escapeXml(format)}'/>`, '  </target>'] : []),
      '</volume>',
    ].join('\n');
    step = {
      title: `Copy ${pool}/${name} into pool ${target.name} as ${input.name}`,
      inv: virsh(ctx.host.uri, call('vol-create-from', '--pool', target.name, '--file', '/dev/stdin', '--inputpool', pool, '--', name)),
      stdin: xml,
    };
  }
  return { ...planOf(step.title, [step]), target, warnings };
}

export async function cloneVolume(hostId: string, pool: string, name: string, body: unknown): Promise<OperationResult> {
  const input = CloneInput.parse(body);
  const ctx = await volumeContext(hostId, pool, name, { fresh: !input.dryRun });
  refuseIfRunning(ctx, `Cloning ${name}`);
  refuseIfEncrypted(ctx.volume, 'Cloning');
  await refuseVmdkDescriptor(ctx, `Cloning ${name}`);
  const plan = planClone(ctx, input);
  const { target, warnings } = plan;
  const step = plan.steps[0]!;
  // The path policy: what the copy reads (the backing chain) inside the pools; the new file under the roots.
  const policy = await requireBackingInsidePools(ctx.host, [{ path: ctx.volume.path, format: ctx.volume.format }], { storage: ctx.storage });
  if (FILE_POOLS.has(target.type) && target.target.path)
    await requireAllowedPaths(ctx.host, [{ path: path.posix.join(target.target.path, input.name), kind: 'destination', allow: { roots: true, devices: false } }], { policy });
  if (input.dryRun) return preview([step], warnings);
  const job = startJob(
    { kind: 'clone', title: step.title, hostId, target: { pool: target.name, volume: input.name, source: name }, command: renderInvocation(step.inv), bytesTotal: ctx.volume.capacity },
    async (job) => {
      await runOnHost(hostId, ctx.t, plan, { timeoutMs: LONG, signal: job.signal });
      return { pool: target.name, name: input.name };
    },
  );
  return { ...preview([step], warnings), dryRun: false, jobId: job.id };
}

// ---------------------------------------------------------------- wipe

/** The plan of a wipe (pure): one `vol-wipe --algorithm`; the `wipe` hazard, always confirmed by name. */
export function planWipe(ctx: VolumeRead, input: ReturnType<typeof WipeInput.parse>): Plan {
  const { name, pool } = ctx.volume;
  refuseIfRunning(ctx, `Wiping ${name}`);
  guard({
    hazard: 'wipe',
    name,
    confirm: input.confirm,
    message: `Wiping ${name} (${input.algorithm}) destroys its data${ctx.dependants.length ? `, and the ${ctx.dependants.length} image(s) based on it` : ''}`,
    affected: { path: ctx.volume.path, usedBy: ctx.volume.usedBy, dependants: ctx.dependants },
  });
  const step: Step = { title: `Wipe ${name} (${input.algorithm})`, inv: virsh(ctx.host.uri, call('vol-wipe', '--pool', pool, '--algorithm', input.algorithm, '--', name)) };
  return planOf(step.title, [step], { destroys: [`all data of ${name}${ctx.dependants.length ? ` and of the ${ctx.dependants.length} image(s) based on it` : ''}`] });
}

export async function wipeVolume(hostId: string, pool: string, name: string, body: unknown): Promise<OperationResult> {
  const input = WipeInput.parse(body ?? {});
  const ctx = await volumeContext(hostId, pool, name, { fresh: !input.dryRun });
  const plan = planWipe(ctx, input);
  const step = plan.steps[0]!;
  if (input.dryRun) return preview([step]);
  const job = startJob(
    { kind: 'wipe', title: step.title, hostId, target: { pool, volume: name }, command: renderInvocation(step.inv), bytesTotal: ctx.volume.capacity },
    async (job) => {
      await runOnHost(hostId, ctx.t, plan, { timeoutMs: LONG, signal: job.signal });
      return { pool, name, algorithm: input.algorithm };
    },
  );
  return { ...preview([step]), dryRun: false, jobId: job.id };
}

// ---------------------------------------------------------------- check (as a job)

export async function checkVolumeJob(hostId: string, pool: string, name: string, body: unknown): Promise<OperationResult> {
  const input = CheckInput.parse(body ?? {});
  const ctx = await volumeContext(hostId, pool, name, { fresh: !input.dryRun });
  const plan = planCheck(ctx, input);
  const step = plan.steps[0]!;
  const job = startJob(
    { kind: 'check', title: step.title, hostId, target: { pool, volume: name }, command: renderInvocation(step.inv), bytesTotal: ctx.volume.allocation },
    async (job) => (await runCheck(ctx.t, plan, { timeoutMs: LONG, signal: job.signal })).result,
  );
  return { ...preview([step]), dryRun: false, jobId: job.id };
}
