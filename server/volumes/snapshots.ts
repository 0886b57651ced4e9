import 'server-only';
import { SnapshotActionInput, ImageSnapshotCreateInput, type OperationResult } from '@/lib/schemas';
import { command } from '../commands/command';
import { renderInvocation } from '../commands/shell';
import { AppError, badRequest, notFound } from '../errors';
import { guard } from '../operations/guards';
import { invalidate } from '../hosts/storage-cache';
import { parseImageInfo } from '../qemu-img/info';
import { volumeContext, type VolumeContext } from './context';
import { guardOverlays, refuseIfEncrypted, refuseIfRunning } from './guards';
import { describeStep, refreshStep, runSteps, type Step } from './steps';

/**
 * qcow2 internal snapshots (`qemu-img snapshot -l | -c | -a | -d`). All changes are refused
 * while a running VM holds the image: qemu-img would write under a live guest (use the VM's
 * own snapshots, `virsh snapshot-create`, for that).
 */
function requireQcow2(ctx: VolumeContext) {
  if (ctx.volume.format !== 'qcow2') throw badRequest(`only qcow2 images hold internal snapshots; ${ctx.volume.name} is ${ctx.volume.format ?? 'of unknown format'}`);
  refuseIfEncrypted(ctx.volume, 'Internal snapshots');
}

export async function listSnapshots(hostId: string, pool: string, name: string) {
  const ctx = await volumeContext(hostId, pool, name);
  requireQcow2(ctx);
  const cmd = command('qemu-img', 'info', '--output=json', ...(ctx.runningUsers.length ? ['-U'] : []), '--', ctx.volume.path);
  const r = await ctx.t.exec(cmd, { timeoutMs: 60_000 });
  if (r.exitCode !== 0)
    throw new AppError('command-failed', `qemu-img could not read ${name}`, { status: 502, detail: { command: renderInvocation(cmd), stderr: r.stderr.trim(), exitCode: r.exitCode } });
  const info = parseImageInfo(r.stdout)[0];
  return { command: renderInvocation(cmd), snapshots: info?.snapshots ?? [], runningUsers: ctx.runningUsers, dependants: ctx.dependants };
}

async function run(ctx: VolumeContext, hostId: string, pool: string, steps: Step[], dryRun: boolean): Promise<OperationResult> {
  steps.push(refreshStep(ctx.host.uri, pool));
  if (dryRun) return { dryRun: true, steps: steps.map(describeStep), warnings: [] };
  try {
    return { dryRun: false, steps: await runSteps(ctx.t, steps), warnings: [] };
  } finally {
    invalidate(hostId);
  }
}

async function existing(ctx: VolumeContext, hostId: string, pool: string, snap: string) {
  const { snapshots } = await listSnapshots(hostId, pool, ctx.volume.name);
  return snapshots.find((s) => s.name === snap) ?? null;
}

export async function createSnapshot(hostId: string, pool: string, name: string, body: unknown): Promise<OperationResult> {
  const input = ImageSnapshotCreateInput.parse(body);
  const ctx = await volumeContext(hostId, pool, name, { fresh: !input.dryRun });
  requireQcow2(ctx);
  refuseIfRunning(ctx, `Taking an internal snapshot of ${name}`);
  if (await existing(ctx, hostId, pool, input.name)) throw new AppError('snapshot-exists', `${name} already has a snapshot named “${input.name}”`, { status: 409 });
  return run(ctx, hostId, pool, [{ title: `Create snapshot ${input.name} of ${name}`, inv: command('qemu-img', 'snapshot', '-c', input.name, '--', ctx.volume.path) }], input.dryRun);
}

/** Revert the image to a snapshot: what was written since is lost, and overlays would break. */
export async function applySnapshot(hostId: string, pool: string, name: string, snap: string, body: unknown): Promise<OperationResult> {
  const input = SnapshotActionInput.parse(body ?? {});
  const ctx = await volumeContext(hostId, pool, name, { fresh: !input.dryRun });
  requireQcow2(ctx);
  refuseIfRunning(ctx, `Reverting ${name} to snapshot ${snap}`);
  if (!(await existing(ctx, hostId, pool, snap))) throw notFound(`Snapshot “${snap}” of ${name}`);
  guardOverlays(ctx, `Reverting ${name}`, input.confirm);
  guard({
    hazard: 'snapshot-apply',
    name,
    confirm: input.confirm,
    message: `Reverting ${name} to “${snap}” discards everything written to it since that snapshot`,
    affected: { snapshot: snap, path: ctx.volume.path },
  });
  return run(ctx, hostId, pool, [{ title: `Revert ${name} to snapshot ${snap}`, inv: command('qemu-img', 'snapshot', '-a', snap, '--', ctx.volume.path) }], input.dryRun);
}

export async function deleteSnapshot(hostId: string, pool: string, name: string, snap: string, body: unknown): Promise<OperationResult> {
  const input = SnapshotActionInput.parse(body ?? {});
  const ctx = await volumeContext(hostId, pool, name, { fresh: !input.dryRun });
  requireQcow2(ctx);
  refuseIfRunning(ctx, `Deleting snapshot ${snap} of ${name}`);
  if (!(await existing(ctx, hostId, pool, snap))) throw notFound(`Snapshot “${snap}” of ${name}`);
  guard({
    hazard: 'snapshot-delete',
    name: snap,
    confirm: input.confirm,
    message: `Deleting snapshot “${snap}” of ${name} cannot be undone`,
    affected: { snapshot: snap, path: ctx.volume.path },
  });
  return run(ctx, hostId, pool, [{ title: `Delete snapshot ${snap} of ${name}`, inv: command('qemu-img', 'snapshot', '-d', snap, '--', ctx.volume.path) }], input.dryRun);
}
