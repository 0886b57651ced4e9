import 'server-only';
import { poolTypeSpec } from '@/lib/pool-types';
import { defaultTargetPath, PoolCreateInput, type PlannedStep } from '@/lib/schemas';
import { command } from '../commands/command';
import { runChecked } from '../commands/run';
import { renderInvocation } from '../commands/shell';
import { call, virsh } from '../commands/virsh';
import { AppError, badRequest, notFound } from '../errors';
import { poolPathRequests, requireAllowedPaths } from '../policy/require-paths';
import { describePoolPlan, planPoolCreate, poolCreate, type PoolCreateResult } from '../virsh/pool-create';
import { guard } from '../operations/guards';
import { jobEnded, startJob } from '../jobs/jobs';
import {
  poolAutostart,
  poolAutostartCommand,
  poolBuild,
  poolBuildCommand,
  poolDelete,
  poolDeletePlan,
  poolRefresh,
  poolRefreshCommand,
  poolStart,
  poolStartCommand,
  poolStop,
  poolStopCommand,
  type ActionResult,
} from '../virsh/pools';
import type { Command } from '../commands/command';
import type { Transport } from '../transport/types';
import { parsePoolCapabilities } from '../xml/pool-capabilities';
import { parsePoolSource } from '../xml/pool';
import { attr, children, parseXml, required } from '../xml/parse';
import { findHost } from './inventory';
import { hostStorage, invalidate } from './storage-cache';
import { transportFor } from './transports';

/** The write side for pools: each function is one API route; every change invalidates the host's read. */

export type PoolCreateDryRun = { dryRun: true; xml: string; steps: PlannedStep[] };
export type PoolCreateStarted = { dryRun: false; jobId: string; xml: string; steps: PlannedStep[] };
export type PoolCreateResponse = PoolCreateDryRun | (PoolCreateResult & { dryRun: false });

/**
 * Create a pool: refusals (validation, duplicate name, path policy, the overwrite guard) answer
 * before anything runs; then the steps run as a short job (kind `pool-create`) whose progress
 * events carry each step's result (SSE `/api/jobs/{id}/events`). With `async` the answer is the
 * job id at once (the wizard follows the stream); without it, the job's outcome: the result, or
 * the operation's one failure (502 with `failedStep`, `stepsDone`, `undone` in detail).
 */
export function createPool(hostId: string, body: unknown, opts?: { async?: false }): Promise<PoolCreateResponse>;
export function createPool(hostId: string, body: unknown, opts: { async: true }): Promise<PoolCreateDryRun | PoolCreateStarted>;
export async function createPool(hostId: string, body: unknown, opts: { async?: boolean } = {}): Promise<PoolCreateResponse | PoolCreateStarted> {
  const host = findHost(hostId);
  const input = PoolCreateInput.parse(body);
  // A dry run (the wizard's live preview, once per pause in typing) checks names with one cheap
  // pool-list rather than a full read of the host; the real create re-reads the host.
  const storage = input.dryRun ? null : await hostStorage(host, { fresh: true });
  const existing = storage ? storage.pools.map((p) => p.name) : await poolNames(hostId);
  if (existing.includes(input.name)) throw new AppError('pool-exists', `A pool named “${input.name}” already exists on ${hostId}`, { status: 409 });
  // The path policy: the target inside the host's allowed roots, source devices among its free ones.
  const s = input.source;
  const devices = s.devices?.length ? s.devices : s.device ? [s.device] : [];
  await requireAllowedPaths(host, poolPathRequests({ type: input.type, targetPath: input.target.path ?? defaultTargetPath(input), devices }), storage ? { storage } : {});
  const plan = planPoolCreate(host.uri, input);
  const steps = describePoolPlan(plan);
  if (input.dryRun) return { dryRun: true, xml: plan.xml, steps };
  if (plan.guard) guard({ hazard: 'overwrite-build', name: input.name, confirm: input.confirm, message: plan.guard.message, affected: plan.destroys });
  let outcome: { ok: PoolCreateResult } | { err: unknown } | null = null;
  const job = startJob(
    { kind: 'pool-create', title: plan.title, hostId, target: { pool: input.name }, command: steps.map((x) => x.command).join('\n') },
    async (ctx) => {
      try {
        const r = await poolCreate(transportFor(host), host.uri, input, existing, (step) => ctx.progress({ step }), ctx.signal);
        outcome = { ok: r };
        return r;
      } catch (e) {
        outcome = { err: e };
        throw e;
      } finally {
        invalidate(hostId);
      }
    },
  );
  if (opts.async) return { dryRun: false, jobId: job.id, xml: plan.xml, steps };
  const end = await jobEnded(job.id);
  const o = outcome as { ok: PoolCreateResult } | { err: unknown } | null;
  if (o && 'ok' in o) return { dryRun: false, ...o.ok };
  if (o) throw o.err;
  throw new AppError(end.error?.code ?? 'cancelled', end.error?.message ?? 'The pool create did not run', { status: 409 });
}

type ActionFn = (t: Transport, uri: string, name: string, type: string) => Promise<ActionResult>;
type CommandFn = (uri: string, name: string, type: string) => Command;
/** Indexed by a URL segment, so a Map: `constructor` or `__proto__` find nothing, not Object's own. */
const ACTIONS: ReadonlyMap<string, { run: ActionFn; command: CommandFn }> = new Map([
  ['start', { run: poolStart, command: poolStartCommand }],
  ['stop', { run: poolStop, command: poolStopCommand }],
  ['refresh', { run: poolRefresh, command: poolRefreshCommand }],
  ['build', { run: poolBuild, command: poolBuildCommand }],
]);

/** A body `{"dryRun": true}` answers `{dryRun, command}` (what would run) and runs nothing. */
export const isDryRun = (body: unknown) => (body as { dryRun?: unknown } | null | undefined)?.dryRun === true;

export async function poolAction(hostId: string, pool: string, action: string, body?: unknown): Promise<ActionResult | { dryRun: true; command: string }> {
  const a = ACTIONS.get(action);
  if (!a) throw notFound(`Pool action “${action}”`);
  const host = findHost(hostId);
  if (isDryRun(body)) return { dryRun: true, command: renderInvocation(a.command(host.uri, pool, await poolType(hostId, pool))) };
  const p = await requirePool(hostId, pool);
  try {
    return await a.run(transportFor(host), host.uri, pool, p.type);
  } finally {
    invalidate(hostId);
  }
}

export async function setPoolAutostart(hostId: string, pool: string, body: unknown): Promise<ActionResult | { dryRun: true; command: string }> {
  const enabled = (body as { enabled?: unknown } | null)?.enabled;
  if (typeof enabled !== 'boolean') throw badRequest('send {"enabled": true} or {"enabled": false}');
  const host = findHost(hostId);
  if (isDryRun(body)) {
    await poolType(hostId, pool);
    return { dryRun: true, command: renderInvocation(poolAutostartCommand(host.uri, pool, enabled)) };
  }
  await requirePool(hostId, pool);
  try {
    return await poolAutostart(transportFor(host), host.uri, pool, enabled);
  } finally {
    invalidate(hostId);
  }
}

export async function deletePool(hostId: string, pool: string, body: unknown): Promise<{ steps: ActionResult[] }> {
  const b = (body ?? {}) as { deleteStorage?: unknown; confirm?: unknown };
  const host = findHost(hostId);
  const storage = await hostStorage(host, { fresh: true });
  try {
    const steps = await poolDelete(transportFor(host), host.uri, storage, {
      name: pool,
      deleteStorage: b.deleteStorage === true,
      confirm: typeof b.confirm === 'string' ? b.confirm : undefined,
    });
    return { steps };
  } finally {
    invalidate(hostId);
  }
}

export interface PoolDeletePreview {
  dryRun: true;
  commands: string[];
  /** Volumes that go with the storage (pool-delete), and those a VM uses (which block the delete). */
  volumes: string[];
  inUse: Array<{ volume: string; usedBy: string[] }>;
  targetPath: string | null;
  type: string;
}

/** DELETE with `{"dryRun": true}`: what a delete would do, for the confirmation dialog — commands, volumes, and what blocks it. */
export async function previewPoolDelete(hostId: string, name: string, body: unknown): Promise<PoolDeletePreview> {
  const host = findHost(hostId);
  const uri = host.uri;
  // The recent read will do for a preview (the delete itself re-reads and re-checks).
  const storage = await hostStorage(host);
  const deleteStorage = (body as { deleteStorage?: unknown } | null)?.deleteStorage === true;
  const pool = storage.pools.find((p) => p.name === name);
  if (!pool) throw notFound(`Pool “${name}”`);
  const vols = storage.volumes.get(pool.name) ?? [];
  return {
    dryRun: true,
    commands: poolDeletePlan(uri, pool, deleteStorage).map(([cmd]) => renderInvocation(cmd)),
    volumes: vols.map((v) => v.name),
    inUse: vols.filter((v) => v.usedBy.length).map((v) => ({ volume: v.name, usedBy: v.usedBy })),
    targetPath: pool.target.path ?? null,
    type: pool.type,
  };
}

/**
 * Every pool's name, by one `virsh pool-list` — for previews only: virsh pads `--name` output
 * to a column width, so trailing spaces are cut (a name ending in spaces, which this console
 * never creates, would read wrong here; the real actions check against the full host read).
 */
async function poolNames(hostId: string): Promise<string[]> {
  const host = findHost(hostId);
  const r = await runChecked(transportFor(host), virsh(host.uri, call('pool-list', '--all', '--name')), 'Listing pools', { timeoutMs: 30_000 });
  return r.stdout.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
}

async function requirePool(hostId: string, pool: string) {
  const storage = await hostStorage(findHost(hostId), { fresh: true });
  const found = storage.pools.find((p) => p.name === pool);
  if (!found) throw notFound(`Pool “${pool}” on ${hostId}`);
  return found;
}

/** For previews: the pool's type from one `pool-dumpxml` (404 when there is no such pool), not a full host read. */
async function poolType(hostId: string, pool: string): Promise<string> {
  const host = findHost(hostId);
  const r = await transportFor(host).exec(virsh(host.uri, call('pool-dumpxml', '--inactive', '--', pool)), { timeoutMs: 30_000 });
  if (r.exitCode !== 0) {
    if (/no storage pool with matching name/i.test(r.stderr)) throw notFound(`Pool “${pool}” on ${hostId}`);
    throw new AppError('command-failed', `Reading pool “${pool}” failed`, { status: 502, detail: { stderr: r.stderr.trim(), exitCode: r.exitCode } });
  }
  return required(attr(parseXml(r.stdout, 'pool'), 'type'), '<pool type=…>');
}

/** The pool types this host's libvirt supports (pool-capabilities), with what each is for. */
export async function listPoolTypes(hostId: string) {
  const host = findHost(hostId);
  const r = await runChecked(transportFor(host), virsh(host.uri, call('pool-capabilities')), 'Reading pool capabilities', { timeoutMs: 30_000 });
  return parsePoolCapabilities(r.stdout);
}

/** `find-storage-pool-sources-as TYPE [HOST]`: what libvirt can discover for a pool's source. */
export async function findPoolSources(hostId: string, type: string, srcHost?: string, opts: { port?: string; initiator?: string } = {}) {
  if (!/^[a-z-]+$/.test(type)) throw badRequest('type must be a pool type such as netfs, logical or iscsi');
  if (srcHost !== undefined && !/^[A-Za-z0-9.:-]{1,253}$/.test(srcHost)) throw badRequest('host must be a host name or IP address');
  if (opts.port !== undefined && !/^\d{1,5}$/.test(opts.port)) throw badRequest('port must be a number');
  // iscsi-direct discovery logs in with libiscsi, so it needs the initiator IQN it will use.
  if (opts.initiator !== undefined && !/^(iqn\.\d{4}-\d{2}\.\S+|eui\.[0-9A-Fa-f]{16}|naa\.[0-9A-Fa-f]{16,32})$/.test(opts.initiator))
    throw badRequest('initiator must be an iSCSI name such as iqn.2026-11.com.example:host');
  if (poolTypeSpec(type)?.discovery === 'unsafe')
    // Seen on the lab (libvirt 9.0, tgt portal with two targets): the call killed libvirtd with a
    // general protection fault in libvirt_storage_backend_iscsi-direct.so. One target worked. A
    // console must not crash a host's libvirtd, so it does not ask; the target IQN is typed, or
    // found with `iscsi` discovery (open-iscsi) on a host that has it.
    throw new AppError('discovery-unsafe', 'iscsi-direct discovery is not offered: libvirt 9.0 crashed (libvirtd died) running it against a portal with several targets. Enter the target IQN, or use iscsi discovery where open-iscsi is installed.', { status: 422 });
  // Which types libvirt can discover sources for: the pool-type table.
  if (poolTypeSpec(type)?.discovery !== 'yes') throw badRequest(`libvirt has no source discovery for ${poolTypeSpec(type) ? `a ${type} pool` : `“${type}” (not a pool type)`}`);
  const host = findHost(hostId);
  const cmd = virsh(
    host.uri,
    call(
      'find-storage-pool-sources-as',
      '--type',
      type,
      ...(srcHost ? ['--host', srcHost] : []),
      ...(opts.port ? ['--port', opts.port] : []),
      ...(opts.initiator ? ['--initiator', opts.initiator] : []),
    ),
  );
  const r = await transportFor(host).exec(cmd, { timeoutMs: 60_000, audit: { title: `Discover ${type} sources` } });
  if (r.exitCode !== 0)
    throw new AppError('discovery-failed', `libvirt found no ${type} sources${srcHost ? ` on ${srcHost}` : ''}`, {
      status: 502,
      detail: { command: renderInvocation(cmd), stderr: r.stderr.trim() },
    });
  const doc = parseXml(r.stdout, 'sources');
  return { command: renderInvocation(cmd), sources: children(doc, 'source').map((s) => parsePoolSource(s, 'discovered source')) };
}

/** Block devices for the fs/logical/disk wizards (lsblk JSON). */
export async function listBlockDevices(hostId: string) {
  const host = findHost(hostId);
  const cmd = command('lsblk', '--json', '--bytes', '--paths', '--output', 'NAME,SIZE,TYPE,FSTYPE,MOUNTPOINT,LABEL,MODEL');
  const r = await runChecked(transportFor(host), cmd, 'Listing block devices', { timeoutMs: 30_000 });
  return JSON.parse(r.stdout) as unknown;
}
