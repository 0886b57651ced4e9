import 'server-only';
import { isFilePool } from '@/lib/pool-types';
import { renderInvocation } from '../commands/shell';
import { runChecked } from '../commands/run';
import { AppError, badRequest, isAppError, notFound } from '../errors';
import { planOf, type Plan } from '../operations/plan';
import { runPlan } from '../operations/run';
import type { OperationFailureDetail } from '@/lib/schemas';
import { poolPathRequests, requireAllowedPaths } from '../policy/require-paths';
import { parsePoolXml } from '../xml/pool';
import { checkEditedPoolXml } from '../virsh/pool-xml';
import { poolDefineCommand, poolDumpXmlCommand } from '../virsh/pools';
import { findHost } from './inventory';
import { hostStorage, invalidate } from './storage-cache';
import { transportFor } from './transports';

/** GET/PUT /api/hosts/{id}/pools/{pool}/xml: read the pool's XML, redefine it from an edited copy. */

async function currentPool(hostId: string, pool: string) {
  const host = findHost(hostId);
  const storage = await hostStorage(host, { fresh: true });
  const p = storage.pools.find((x) => x.name === pool);
  if (!p) throw notFound(`Pool “${pool}” on ${hostId}`);
  return { host, pool: p, storage };
}

export async function getPoolXml(hostId: string, pool: string) {
  const { host, pool: p } = await currentPool(hostId, pool);
  const t = transportFor(host);
  const live = poolDumpXmlCommand(host.uri, pool, false);
  const inactive = poolDumpXmlCommand(host.uri, pool, true);
  const [a, b] = await Promise.all([
    runChecked(t, live, `Reading the XML of “${pool}”`, { timeoutMs: 30_000 }),
    p.persistent ? runChecked(t, inactive, `Reading the persistent XML of “${pool}”`, { timeoutMs: 30_000 }) : null,
  ]);
  return {
    command: renderInvocation(live),
    xml: a.stdout,
    /** What pool-define edits: the persistent definition (null for a transient pool). */
    inactiveCommand: p.persistent ? renderInvocation(inactive) : null,
    inactiveXml: b ? b.stdout : null,
    state: p.state,
  };
}

/** The plan of an XML edit (pure): one `pool-define` with the edited XML on stdin. */
export const planPoolRedefine = (uri: string, pool: string, xml: string): Plan =>
  planOf(`Redefine pool ${pool}`, [{ title: `Redefine pool ${pool} from the edited XML`, inv: poolDefineCommand(uri), stdin: xml, timeoutMs: 60_000 }]);

/** Body `{xml, dryRun?}`. Dry run: checks and the command, nothing runs. */
export async function putPoolXml(hostId: string, pool: string, body: unknown) {
  const b = (body ?? {}) as { xml?: unknown; dryRun?: unknown };
  if (typeof b.xml !== 'string') throw badRequest('send {"xml": "<pool …>…</pool>"}');
  const { host, pool: p, storage } = await currentPool(hostId, pool);
  if (!p.persistent) throw new AppError('pool-transient', `Pool “${pool}” is transient: it has no definition to edit`, { status: 409 });
  checkEditedPoolXml(b.xml, { name: p.name, uuid: p.uuid, type: p.type });
  // The edited target and source devices stay inside the path policy (the pool's own devices stay allowed).
  const edited = parsePoolXml(b.xml);
  await requireAllowedPaths(host, poolPathRequests({ type: edited.type, targetPath: edited.target.path, devices: edited.source.devices }, p.source.devices), { storage });
  const plan = planPoolRedefine(host.uri, pool, b.xml);
  const cmd = plan.steps[0]!.inv;
  const restartNeeded = p.state === 'running';
  const note = restartNeeded
    ? `“${pool}” is running: libvirt saves the new definition now; it takes effect when the pool is stopped and started again.`
    : `“${pool}” is not running: the new definition is used when it is next started.`;
  // libvirt reports a started dir/fs/netfs pool's target permissions from the directory itself;
  // only pool-build (while stopped) applies new ones to it.
  const perms = isFilePool(p.type) ? ' New target permissions reach the directory only through pool-build (with the pool stopped).' : '';
  const fullNote = note + perms;
  if (b.dryRun === true) return { dryRun: true, command: renderInvocation(cmd), stdin: b.xml, restartNeeded, note: fullNote };
  let output: string;
  try {
    output = (await runPlan(transportFor(host), plan))[0]!.output;
  } catch (e) {
    const d = isAppError(e) && (e.code === 'command-failed' || e.code === 'command-timeout') ? (e.detail as OperationFailureDetail) : null;
    if (!d) throw e;
    // libvirt's own verdict, verbatim: its message is the useful part.
    throw new AppError('libvirt-rejected', d.stderr.split('\n').find((l) => l.trim()) ?? `pool-define failed (exit ${d.exitCode})`, {
      status: 422,
      detail: { command: d.command, exitCode: d.exitCode, stderr: d.stderr },
    });
  } finally {
    invalidate(hostId);
  }
  return { dryRun: false, command: renderInvocation(cmd), output, restartNeeded, note: fullNote };
}
