import 'server-only';
import path from 'node:path';
import { DeleteInput, VmdkCompareInput, VmdkConvertInput, type OperationResult, type VolumeDto, type SpaceCheckDto, type VmdkCompareResult, type VmdkConvertResult, type VmdkExtentDto, type VmdkInspectDto, type VmdkProblem } from '@/lib/schemas';
import { formatBytes } from '@/lib/format';
import { command } from '../commands/command';
import { renderInvocation } from '../commands/shell';
import { AppError } from '../errors';
import { parseImageInfo } from '../qemu-img/info';
import { descriptorNameOfExtent, extractDescriptor, isInside, NO_PARENT_CID, parseDescriptor, parseMeasure, parseStatSizes, parseVmdkInfo, resolveExtent } from '../qemu-img/vmdk-descriptor';
import { FILE_POOLS, findVolume, runningVms, volumeContext, type VolumeContext } from './context';
import { planConvert, requireConvertPaths, startConvert } from './job-operations';
import { compareImages } from './operations';
import { call, virsh } from '../commands/virsh';
import { guard, guardError } from '../operations/guards';
import { describeStep, planOf, type Plan } from '../operations/plan';
import { runOnHost } from '../operations/run-on-host';

/**
 * The guided VMware migration: inspect a vmdk (what qemu-img and the descriptor say, whether
 * every extent file is there, what the qcow2 will need), convert it to qcow2 as a job, and
 * compare the result with the source.
 *
 * Why its own routes: libvirt does not parse vmdk descriptor files — a monolithicFlat or
 * twoGbMaxExtent* descriptor is listed as a few hundred bytes of *raw*, and `qemu-img convert -f
 * raw` of it would copy the descriptor text (the generic routes refuse it: refuseVmdkDescriptor).
 * Here the source format is `vmdk` because qemu-img itself (probing, read-only) said so and the
 * extents were checked; the convert and compare themselves are the generic ones (planConvert,
 * startConvert, compareImages) given that format.
 */
const HEAD_BYTES = 65536;

// ---------------------------------------------------------------- inspect

interface Inspection {
  ctx: VolumeContext;
  dto: VmdkInspectDto;
}

async function inspect(hostId: string, pool: string, name: string, opts: { fresh?: boolean } = {}): Promise<Inspection> {
  const ctx = await volumeContext(hostId, pool, name, opts);
  const v = ctx.volume;
  const problems: VmdkProblem[] = [];
  const commands: string[] = [];
  const base: Omit<VmdkInspectDto, 'problems' | 'ok'> = {
    volume: v,
    commands,
    info: null,
    infoError: null,
    subformat: null,
    adapterType: null,
    hwVersion: null,
    extents: [],
    descriptor: null,
    measure: null,
    runningUsers: ctx.runningUsers,
  };
  if (!FILE_POOLS.has(ctx.pool.type) || v.type !== 'file') {
    problems.push({ code: 'not-a-file', severity: 'block', message: `${name} is a ${v.type} volume in a ${ctx.pool.type} pool: a VMware disk arrives as files — put them in a dir, fs or netfs pool` });
    return { ctx, dto: { ...base, problems, ok: false } };
  }
  if (ctx.runningUsers.length)
    problems.push({
      code: 'volume-in-use',
      severity: 'block',
      message: `${ctx.runningUsers.join(', ')} ${ctx.runningUsers.length === 1 ? 'is' : 'are'} running with ${name} as a disk: a copy taken now is not consistent — shut ${ctx.runningUsers.length === 1 ? 'it' : 'them'} down first`,
    });
  else if (v.usedBy.length)
    problems.push({ code: 'used-by-vm', severity: 'warn', message: `${v.usedBy.join(', ')} (shut off) ${v.usedBy.length === 1 ? 'has' : 'have'} ${name} as a disk: after the migration, attach the qcow2 instead` });

  const u = ctx.runningUsers.length ? ['-U'] : [];
  // No -f on purpose: qemu-img probes (read-only) and says what the file really is.
  const infoCmd = command('qemu-img', 'info', '--output=json', ...u, '--', v.path);
  const headCmd = command('head', '-c', String(HEAD_BYTES), '--', v.path);
  commands.push(renderInvocation(infoCmd), renderInvocation(headCmd));
  const [infoR, headR] = await Promise.all([ctx.t.exec(infoCmd, { timeoutMs: 60_000 }), ctx.t.exec(headCmd, { timeoutMs: 30_000 })]);

  // In an OVA (a tar) the first disk's descriptor sits within the first bytes too: not this file's.
  const tar = headR.exitCode === 0 && isTar(name, headR.stdout);
  const descText = headR.exitCode === 0 && !tar ? extractDescriptor(headR.stdout) : null;
  const descriptor = descText ? parseDescriptor(descText) : null;
  const info = infoR.exitCode === 0 ? (parseImageInfo(infoR.stdout)[0] ?? null) : null;
  const vmdk = info ? parseVmdkInfo(infoR.stdout) : null;
  const infoError = infoR.exitCode === 0 ? null : infoR.stderr.trim() || `qemu-img exited with ${infoR.exitCode}`;

  // The extents: qemu-img's own list when it opened the image, else the descriptor's.
  const dir = path.posix.dirname(v.path);
  const listed: Array<Omit<VmdkExtentDto, 'exists' | 'size' | 'outside'>> = vmdk
    ? vmdk.extents.map((e) => ({ path: path.posix.resolve(dir, e.path), type: e.type, virtualSize: e.virtualSize, compressed: e.compressed }))
    : (descriptor?.extents ?? []).filter((e) => e.file).map((e) => ({ path: resolveExtent(v.path, e.file!), type: e.type, virtualSize: e.sectors * 512, compressed: false }));
  const others = [...new Set(listed.map((e) => e.path).filter((p) => p !== v.path))];
  let sizes = new Map<string, number>();
  const measureCmd = command('qemu-img', 'measure', '--output=json', ...u, '-O', 'qcow2', '-f', 'vmdk', '--', v.path);
  const wantMeasure = info?.format === 'vmdk';
  const statCmd = others.length ? command('stat', '-L', '--printf', '%s %n\\n', '--', ...others) : null;
  const [statR, measureR] = await Promise.all([
    statCmd ? ctx.t.exec(statCmd, { timeoutMs: 30_000 }) : Promise.resolve(null),
    wantMeasure ? ctx.t.exec(measureCmd, { timeoutMs: 120_000 }) : Promise.resolve(null),
  ]);
  if (statCmd) commands.push(renderInvocation(statCmd));
  if (wantMeasure) commands.push(renderInvocation(measureCmd));
  if (statR) sizes = parseStatSizes(statR.stdout);
  const extents: VmdkExtentDto[] = listed.map((e) => ({
    ...e,
    exists: e.path === v.path ? null : sizes.has(e.path),
    size: e.path === v.path ? v.physical ?? v.allocation : (sizes.get(e.path) ?? null),
    outside: e.path !== v.path && !isInside(dir, e.path),
  }));
  const measure = measureR && measureR.exitCode === 0 ? parseMeasure(measureR.stdout) : null;

  // ---- what cannot work
  const outside = extents.filter((e) => e.outside);
  if (outside.length)
    problems.push({
      code: 'extent-outside',
      severity: 'block',
      message: `The descriptor points outside ${dir}: ${outside.map((e) => e.path).join(', ')}. Copy the extent files next to the descriptor and name them relatively.`,
    });
  const missing = extents.filter((e) => e.exists === false);
  if (missing.length)
    problems.push({
      code: 'extent-missing',
      severity: 'block',
      message: `The descriptor names ${missing.length === 1 ? 'an extent file that is' : 'extent files that are'} not on the host: ${missing.map((e) => path.posix.basename(e.path)).join(', ')}. Copy ${missing.length === 1 ? 'it' : 'them'} into ${dir} (VMware exports a descriptor .vmdk and its -flat/-s00N data files together).`,
    });
  const owner = descriptorNameOfExtent(name);
  const ownerHere = owner && (ctx.storage.volumes.get(pool) ?? []).some((x) => x.name === owner) ? owner : null;
  if (!info && !missing.length && !outside.length) {
    problems.push({
      code: ownerHere ? 'extent-file' : 'unreadable',
      severity: 'block',
      message: ownerHere ? `${name} is a data extent of ${ownerHere}, not a disk of its own: pick ${ownerHere}` : `qemu-img cannot open ${name}: ${infoError ?? 'no answer'}`,
    });
  } else if (info && info.format !== 'vmdk' && tar) {
    // An OVA (VMware's export) is a tar of the .ovf, a manifest and streamOptimized disks.
    const listCmd = command('tar', '-tf', v.path);
    commands.push(renderInvocation(listCmd));
    const list = await ctx.t.exec(listCmd, { timeoutMs: 60_000 });
    const members = list.exitCode === 0 ? list.stdout.split('\n').filter(Boolean) : [];
    const disks = members.filter((m) => /\.vmdk$/i.test(m));
    problems.push({
      code: 'ova',
      severity: 'block',
      message: `${name} is an OVA: a tar archive${members.length ? ` holding ${members.join(', ')}` : ''}. Extract the disk on the host — tar -xf ${v.path} -C ${dir} ${disks.join(' ') || '<disk>.vmdk'} — then pick the .vmdk here.`,
    });
  } else if (info && info.format !== 'vmdk') {
    problems.push({
      code: ownerHere ? 'extent-file' : 'not-vmdk',
      severity: 'block',
      message: ownerHere
        ? `${name} is the raw data extent of ${ownerHere}: pick the descriptor ${ownerHere}, which describes the disk`
        : `${name} is not a VMware disk: qemu-img reads it as ${info.format}${info.format === 'raw' ? ' (no vmdk header and no descriptor)' : ''}. Use the volume's Convert operation for other formats.`,
    });
  }
  if (vmdk?.parentCid != null && vmdk.parentCid !== NO_PARENT_CID)
    problems.push({
      code: 'delta',
      severity: 'warn',
      message: `This is a VMware snapshot delta (parent ${descriptor?.parentFileNameHint ?? 'unnamed'}): qemu-img reads through its parent, so the qcow2 holds the merged disk`,
    });
  if (info?.dirty) problems.push({ code: 'dirty', severity: 'warn', message: 'The image is marked dirty (not cleanly closed): the copy may hold a crash-consistent disk' });
  if (info?.format === 'vmdk' && v.format !== 'vmdk')
    problems.push({ code: 'libvirt-format', severity: 'info', message: `libvirt lists it as ${v.format ?? 'unknown'} (it does not read vmdk descriptor files); the migration passes -f vmdk, which qemu-img confirmed` });

  const dto: VmdkInspectDto = {
    ...base,
    info,
    infoError,
    subformat: vmdk?.createType ?? descriptor?.createType ?? null,
    adapterType: descriptor?.ddb.adapterType ?? null,
    hwVersion: descriptor?.ddb.virtualHWVersion ?? null,
    extents,
    descriptor,
    measure,
    problems,
    ok: !problems.some((p) => p.severity === 'block'),
  };
  return { ctx, dto };
}

/** A tar archive (an OVA): by its name, or the "ustar" magic at byte 257 of its first header. */
function isTar(name: string, head: string): boolean {
  return /\.ova$/i.test(name) || head.slice(0, 512).includes('ustar');
}

/** GET …/volumes/{vol}/vmdk */
export async function inspectVmdk(hostId: string, pool: string, name: string): Promise<VmdkInspectDto> {
  return (await inspect(hostId, pool, name)).dto;
}

function refuse(dto: VmdkInspectDto): void {
  const blocking = dto.problems.filter((p) => p.severity === 'block');
  const first = blocking[0];
  if (!first) return;
  throw new AppError(first.code, first.message, { status: 409, detail: { problems: blocking } });
}

// ---------------------------------------------------------------- convert

export function spaceCheck(pool: string, available: number, m: { required: number; fullyAllocated: number }): SpaceCheckDto {
  const verdict = m.required > available ? 'short' : m.fullyAllocated > available ? 'thin' : 'fits';
  return { pool, available, required: m.required, fullyAllocated: m.fullyAllocated, verdict };
}

/** POST …/volumes/{vol}/vmdk/convert: `qemu-img convert -p -f vmdk -O qcow2 [-c] [-o …]` as a job. */
export async function convertVmdk(hostId: string, pool: string, name: string, body: unknown): Promise<VmdkConvertResult> {
  const input = VmdkConvertInput.parse(body);
  // The real run reads the host fresh, like every other write (a VM may have started meanwhile).
  const { ctx, dto } = await inspect(hostId, pool, name, { fresh: !input.dryRun });
  refuse(dto);
  const plan = planConvert(
    ctx,
    // qemu-img's own probe said vmdk (refuse() above), which libvirt may have called raw.
    'vmdk',
    { pool: input.pool, name: input.name, format: 'qcow2', compress: input.compress, options: input.options },
    `Convert ${name} (vmdk${dto.subformat ? ` ${dto.subformat}` : ''}) to ${input.name} (qcow2${input.compress ? ', compressed' : ''})`,
  );
  await requireConvertPaths(ctx, 'vmdk', plan.dst);
  if (!dto.measure) throw new AppError('command-failed', `qemu-img measure could not size the qcow2 for ${name}`, { status: 502 });
  const space = spaceCheck(plan.target.name, plan.target.available, dto.measure);
  const warnings: string[] = [];
  if (space.verdict === 'short') {
    const msg = `Pool “${plan.target.name}” has ${formatBytes(space.available)} free; the qcow2 needs ${formatBytes(space.required)} (qemu-img measure)`;
    if (!input.compress)
      throw new AppError('insufficient-space', `${msg}: free space there, pick another pool, or turn compression on`, { status: 409, detail: { space } });
    warnings.push(`${msg} uncompressed: with compression it may fit, or fail when the pool is full (the half-written file is then removed)`);
  } else if (space.verdict === 'thin')
    warnings.push(
      `Fits now (${formatBytes(space.required)}), but not if the guest fills its ${formatBytes(dto.info?.virtualSize ?? space.fullyAllocated)} disk: the pool has ${formatBytes(space.available)} free (thin provisioning)`,
    );
  if (input.compress) warnings.push('Compressed clusters are read-only compressed: blocks the guest rewrites are stored uncompressed');

  const steps = [plan.check, plan.convert, plan.refresh];
  const result = { dryRun: true, steps: steps.map(describeStep), warnings, space, destination: plan.dst };
  if (input.dryRun) return result;
  const jobId = await startConvert(ctx, plan, { bytesTotal: dto.info?.virtualSize ?? null, flow: 'vmdk-migration' });
  return { ...result, dryRun: false, jobId };
}

// ---------------------------------------------------------------- compare

/** POST …/volumes/{vol}/vmdk/compare: `qemu-img compare -f vmdk -F FMT -- SRC OTHER` (exit 0 identical, 1 different). */
export async function compareVmdk(hostId: string, pool: string, name: string, body: unknown): Promise<VmdkCompareResult> {
  const input = VmdkCompareInput.parse(body);
  const ctx = await volumeContext(hostId, pool, name);
  // -f vmdk: libvirt may call a descriptor raw; the flow compares what qemu-img reads as the disk.
  return compareImages(ctx, 'vmdk', findVolume(ctx.storage, hostId, input.other.pool, input.other.name), { strict: false, timeoutMs: 3600_000 });
}


// ---------------------------------------------------------------- delete (descriptor + extents)

/**
 * The pool volumes a vmdk delete removes: the descriptor, then each extent file that exists, is
 * inside the descriptor's directory and is a volume of the same pool (pure: inspection + pool list).
 */
export function vmdkDeleteTargets(descriptor: VolumeDto, extents: readonly VmdkExtentDto[], poolVolumes: readonly VolumeDto[]): VolumeDto[] {
  const paths = new Set(extents.filter((e) => e.exists === true && !e.outside && e.path !== descriptor.path).map((e) => e.path));
  return [descriptor, ...poolVolumes.filter((v) => v.name !== descriptor.name && paths.has(v.path))];
}

/** One `vol-delete` per file, descriptor first: the plan of a vmdk delete. */
export const planVmdkDelete = (uri: string, pool: string, targets: readonly VolumeDto[]): Plan =>
  planOf(
    `Delete ${targets[0]!.name}${targets.length > 1 ? ` and its ${targets.length - 1} extent file${targets.length === 2 ? '' : 's'}` : ''}`,
    targets.map((v) => ({ title: `Delete ${v.name}`, inv: virsh(uri, call('vol-delete', '--pool', pool, '--', v.name)) })),
    { destroys: targets.map((v) => v.path), guard: { hazard: 'delete-vmdk', confirmWith: targets[0]!.name, message: `Deleting ${targets[0]!.name} removes the descriptor and every extent file it names` } },
  );

/**
 * POST …/volumes/{vol}/vmdk/delete: the descriptor and its extent files as one operation with
 * one typed confirmation — the vmdk's name, typed once (hazard `delete-vmdk`).
 */
export async function deleteVmdk(hostId: string, pool: string, name: string, body: unknown): Promise<OperationResult> {
  const input = DeleteInput.parse(body ?? {});
  const { ctx, dto } = await inspect(hostId, pool, name, { fresh: !input.dryRun });
  const targets = vmdkDeleteTargets(ctx.volume, dto.extents, ctx.storage.volumes.get(pool) ?? []);
  const running = runningVms(ctx.storage);
  const inUse = targets.flatMap((v) => v.usedBy.filter((vm) => running.has(vm)).map((vm) => `${vm} (${v.name})`));
  if (inUse.length)
    throw guardError({ hazard: 'volume-in-use', name, message: `Deleting ${name} is refused: ${inUse.join(', ')} running — shut down first`, affected: { runningVms: inUse, volume: ctx.volume.path } });
  const plan = planVmdkDelete(ctx.host.uri, pool, targets);
  guard({
    hazard: 'delete-vmdk',
    name,
    confirm: input.confirm,
    message: `${plan.guard!.message}: ${targets.map((v) => v.name).join(', ')}`,
    affected: { volumes: targets.map((v) => v.name), usedBy: [...new Set(targets.flatMap((v) => v.usedBy))] },
  });
  if (input.dryRun) return { dryRun: true, steps: plan.steps.map(describeStep), warnings: [] };
  return { dryRun: false, steps: await runOnHost(hostId, ctx.t, plan), warnings: [] };
}
