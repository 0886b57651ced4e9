import 'server-only';
import { SnapshotActionInput, ImageSnapshotCreateInput, type OperationResult } from '@/lib/schemas';
import { command } from '../commands/command';
import { renderInvocation } from '../commands/shell';
import { AppError, badRequest, notFound } from '../errors';
import { guard } from '../operations/guards';
import { parseImageInfo } from '../qemu-img/info';
import { volumeContext, type VolumeRead } from './context';
import { guardOverlays, refuseIfEncrypted, refuseIfRunning } from './guards';
import { refreshStep } from './steps';
import { describeStep, planOf, type Plan, type Step } from '../operations/plan';
import { runOnHost } from '../operations/run-on-host';

/**
 * qcow2 internal snapshots (`qemu-img snapshot -l | -c | -a | -d`). All changes are refused
 * while a running VM holds the image: qemu-img would write under a live guest (use the VM's
 * own snapshots, `virsh snapshot-create`, for that).
 */
function requireQcow2(ctx: VolumeRead) {
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

type ImageSnapshot = { name: string };

/**
 * The plan of an internal snapshot change (pure: the image as read and its snapshot list →
 * steps): one `qemu-img snapshot -c | -a | -d`, then a pool refresh. Refused while a running VM
 * holds the image; applying (`snapshot-apply`, plus `has-overlays`) and deleting (`snapshot-delete`)
 * need the name typed.
 */
export function planImageSnapshot(
  ctx: VolumeRead,
  op: { create: string } | { apply: string } | { delete: string },
  snapshots: readonly ImageSnapshot[],
  confirm?: string,
): Plan {
  const name = ctx.volume.name;
  requireQcow2(ctx);
  const has = (snap: string) => snapshots.some((s) => s.name === snap);
  let step: Step;
  if ('create' in op) {
    refuseIfRunning(ctx, `Taking an internal snapshot of ${name}`);
    if (has(op.create)) throw new AppError('snapshot-exists', `${name} already has a snapshot named “${op.create}”`, { status: 409 });
    step = { title: `Create snapshot ${op.create} of ${name}`, inv: command('qemu-img', 'snapshot', '-c', op.create, '--', ctx.volume.path) };
  } else if ('apply' in op) {
    const snap = op.apply;
    refuseIfRunning(ctx, `Reverting ${name} to snapshot ${snap}`);
    if (!has(snap)) throw notFound(`Snapshot “${snap}” of ${name}`);
    guardOverlays(ctx, `Reverting ${name}`, confirm);
    guard({
      hazard: 'snapshot-apply',
      name,
      confirm,
      message: `Reverting ${name} to “${snap}” discards everything written to it since that snapshot`,
      affected: { snapshot: snap, path: ctx.volume.path },
    });
    step = { title: `Revert ${name} to snapshot ${snap}`, inv: command('qemu-img', 'snapshot', '-a', snap, '--', ctx.volume.path) };
  } else {
    const snap = op.delete;
    refuseIfRunning(ctx, `Deleting snapshot ${snap} of ${name}`);
    if (!has(snap)) throw notFound(`Snapshot “${snap}” of ${name}`);
    guard({
      hazard: 'snapshot-delete',
      name: snap,
      confirm,
      message: `Deleting snapshot “${snap}” of ${name} cannot be undone`,
      affected: { snapshot: snap, path: ctx.volume.path },
    });
    step = { title: `Delete snapshot ${snap} of ${name}`, inv: command('qemu-img', 'snapshot', '-d', snap, '--', ctx.volume.path) };
  }
  return planOf(step.title, [step, refreshStep(ctx.host.uri, ctx.volume.pool)]);
}

/** Read the image's snapshots, plan, and preview or run (runPlan, then the host's cached read is dropped). */
async function change(hostId: string, pool: string, name: string, op: Parameters<typeof planImageSnapshot>[1], input: { dryRun: boolean; confirm?: string }): Promise<OperationResult> {
  const ctx = await volumeContext(hostId, pool, name, { fresh: !input.dryRun });
  requireQcow2(ctx);
  // The refusals that need no snapshot list come before reading it.
  refuseIfRunning(ctx, 'create' in op ? `Taking an internal snapshot of ${name}` : 'apply' in op ? `Reverting ${name} to snapshot ${op.apply}` : `Deleting snapshot ${op.delete} of ${name}`);
  const { snapshots } = await listSnapshots(hostId, pool, name);
  const plan = planImageSnapshot(ctx, op, snapshots, input.confirm);
  if (input.dryRun) return { dryRun: true, steps: plan.steps.map(describeStep), warnings: [] };
  return { dryRun: false, steps: await runOnHost(hostId, ctx.t, plan), warnings: [] };
}

export async function createSnapshot(hostId: string, pool: string, name: string, body: unknown): Promise<OperationResult> {
  const input = ImageSnapshotCreateInput.parse(body);
  return change(hostId, pool, name, { create: input.name }, input);
}

/** Revert the image to a snapshot: what was written since is lost, and overlays would break. */
export async function applySnapshot(hostId: string, pool: string, name: string, snap: string, body: unknown): Promise<OperationResult> {
  const input = SnapshotActionInput.parse(body ?? {});
  return change(hostId, pool, name, { apply: snap }, input);
}

export async function deleteSnapshot(hostId: string, pool: string, name: string, snap: string, body: unknown): Promise<OperationResult> {
  const input = SnapshotActionInput.parse(body ?? {});
  return change(hostId, pool, name, { delete: snap }, input);
}
