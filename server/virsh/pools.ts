import 'server-only';
import { buildFormats, canDeleteStorage, poolTypesWhere } from '@/lib/pool-types';
import type { Command } from '../commands/command';
import { call, virsh } from '../commands/virsh';
import { AppError } from '../errors';
import { guard, guardError } from '../operations/guards';
import type { Step } from '../operations/plan';
import { runPlan } from '../operations/run';
import type { Transport } from '../transport/types';
import type { HostStorage } from './read-host';

/**
 * The pool lifecycle, one function per virsh verb. Each returns the command it ran (shell text)
 * with its output, and throws a `command-failed` AppError carrying the command and stderr.
 */
export interface ActionResult {
  command: string;
  output: string;
}

/** One lifecycle verb: a one-step operation (same failure model as every write: 502 with `failedStep`). */
async function run(t: Transport, cmd: Command, what: string): Promise<ActionResult> {
  const [r] = await runPlan(t, [{ title: what, inv: cmd, timeoutMs: 600_000 }]);
  return { command: r!.command, output: r!.output };
}

export const poolStartCommand = (uri: string, name: string) => virsh(uri, call('pool-start', '--', name));
export const poolStopCommand = (uri: string, name: string) => virsh(uri, call('pool-destroy', '--', name));
export const poolRefreshCommand = (uri: string, name: string) => virsh(uri, call('pool-refresh', '--', name));
// --no-overwrite applies only where building formats a device (fs, disk, logical): on a dir or
// netfs pool libvirt takes it as a request to format and fails ("No source device specified").
export const poolBuildCommand = (uri: string, name: string, type: string, overwrite = false) =>
  virsh(uri, call('pool-build', ...(buildFormats(type) ? [overwrite ? '--overwrite' : '--no-overwrite'] : []), '--', name));
/** Pool XML on stdin (never a temp file, never argv). */
export const poolDefineCommand = (uri: string) => virsh(uri, call('pool-define', '--file', '/dev/stdin'));
export const poolDumpXmlCommand = (uri: string, name: string, inactive: boolean) =>
  virsh(uri, call('pool-dumpxml', ...(inactive ? ['--inactive'] : []), '--', name));
export const poolUndefineCommand = (uri: string, name: string) => virsh(uri, call('pool-undefine', '--', name));
export const poolDeleteStorageCommand = (uri: string, name: string) => virsh(uri, call('pool-delete', '--', name));
export const poolAutostartCommand = (uri: string, name: string, on: boolean) =>
  virsh(uri, call('pool-autostart', ...(on ? [] : ['--disable']), '--', name));

export const poolStart = (t: Transport, uri: string, name: string) => run(t, poolStartCommand(uri, name), `Starting pool “${name}”`);
export const poolStop = (t: Transport, uri: string, name: string) => run(t, poolStopCommand(uri, name), `Stopping pool “${name}”`);
export const poolRefresh = (t: Transport, uri: string, name: string) => run(t, poolRefreshCommand(uri, name), `Refreshing pool “${name}”`);
export const poolBuild = (t: Transport, uri: string, name: string, type: string) => run(t, poolBuildCommand(uri, name, type), `Building pool “${name}”`);
export const poolAutostart = (t: Transport, uri: string, name: string, on: boolean) =>
  run(t, poolAutostartCommand(uri, name, on), `Turning autostart ${on ? 'on' : 'off'} for “${name}”`);


export interface PoolDeleteInput {
  name: string;
  deleteStorage: boolean;
  confirm?: string;
}

/**
 * Stop → (delete the storage) → undefine. Refused while any VM uses a volume of the pool;
 * deleting the storage (`pool-delete`) needs the pool's name typed. For a dir pool libvirt
 * removes only an empty directory.
 */
export async function poolDelete(t: Transport, uri: string, storage: HostStorage, input: PoolDeleteInput): Promise<ActionResult[]> {
  const pool = storage.pools.find((p) => p.name === input.name);
  if (!pool) throw new AppError('not-found', `Pool “${input.name}” was not found`, { status: 404 });
  const inUse = (storage.volumes.get(pool.name) ?? []).filter((v) => v.usedBy.length);
  if (inUse.length)
    throw guardError({
      hazard: 'pool-in-use',
      name: pool.name,
      message: `Pool “${pool.name}” has volumes in use by VMs: detach them or remove those VMs first`,
      affected: inUse.map((v) => ({ volume: v.name, usedBy: v.usedBy })),
    });
  // Refused before anything runs: stopping first and failing at pool-delete would leave the pool stopped.
  // Which types libvirt can delete the storage of: the pool-type table (lib/pool-types.ts).
  if (input.deleteStorage && !canDeleteStorage(pool.type))
    throw new AppError('pool-delete-unsupported', `A ${pool.type} pool has no storage that libvirt can delete: remove the pool without deleting its storage`, {
      status: 400,
      detail: { type: pool.type, supported: poolTypesWhere((s) => s.deleteStorage !== null) },
    });
  if (input.deleteStorage)
    guard({
      hazard: 'pool-delete-storage',
      name: pool.name,
      confirm: input.confirm,
      message: `Deleting the storage of “${pool.name}” (${pool.target.path ?? pool.type}) cannot be undone`,
      affected: (storage.volumes.get(pool.name) ?? []).map((v) => v.name),
    });
  // An operation (server/operations): a failed step is the one 502 with the steps done before it.
  const steps: Step[] = poolDeletePlan(uri, pool, input.deleteStorage).map(([inv, title]) => ({ title, inv, timeoutMs: 600_000 }));
  return (await runPlan(t, steps)).map((r) => ({ command: r.command, output: r.output }));
}

/** The commands a delete runs, in order: stop (if running) → pool-delete (if asked) → undefine (if persistent). */
export function poolDeletePlan(uri: string, pool: { name: string; state: string; persistent: boolean }, deleteStorage: boolean): Array<[Command, string]> {
  const plan: Array<[Command, string]> = [];
  if (pool.state === 'running') plan.push([poolStopCommand(uri, pool.name), `Stopping pool “${pool.name}”`]);
  if (deleteStorage) plan.push([poolDeleteStorageCommand(uri, pool.name), `Deleting the storage of “${pool.name}”`]);
  if (pool.persistent) plan.push([poolUndefineCommand(uri, pool.name), `Undefining “${pool.name}”`]);
  return plan;
}
