import 'server-only';
import type { DomainActionResultDto } from '@/lib/schemas';
import { call, virsh } from '../commands/virsh';
import { badRequest } from '../errors';
import { guard } from '../operations/guards';
import { findHost } from '../hosts/inventory';
import { transportFor } from '../hosts/transports';
import { previewResult, ranResult } from './action-result';
import { runOnHost } from '../operations/run-on-host';
import { readDomain } from './read';
import { planOf, type Plan, type Step } from '../operations/plan';

export type PowerAction = 'start' | 'shutdown' | 'destroy';

/** The plan of a power action (pure): one virsh verb; `destroy` is the `force-off` hazard. */
export function planPower(uri: string, vm: string, action: PowerAction): Plan {
  const title = `${action === 'destroy' ? 'Force off' : action === 'start' ? 'Start' : 'Shut down'} ${vm}`;
  const steps: Step[] = [{ title, inv: virsh(uri, call(action, '--', vm)) }];
  if (action !== 'destroy') return planOf(title, steps);
  return planOf(title, steps, {
    destroys: [`whatever ${vm} had not yet written to its disks (like pulling the power plug)`],
    guard: { hazard: 'force-off', confirmWith: vm, message: `Forcing ${vm} off may lose data it has not written yet` },
  });
}

/**
 * Start, shut down (ACPI request: the guest decides) and force off (`destroy`: like pulling
 * the plug, so guarded by the VM's name). Storage work often needs a VM off first.
 */
export async function domainPower(hostId: string, vm: string, body: unknown): Promise<DomainActionResultDto> {
  const b = (body ?? {}) as { action?: unknown; confirm?: unknown; dryRun?: unknown };
  const action = b.action;
  if (action !== 'start' && action !== 'shutdown' && action !== 'destroy') throw badRequest('action must be start, shutdown or destroy');
  const host = findHost(hostId);
  const dom = await readDomain(hostId, vm, { fresh: true });
  const plan = planPower(host.uri, vm, action);
  if (b.dryRun === true) return previewResult(plan, plan.title);
  if (plan.guard) guard({ hazard: plan.guard.hazard, name: plan.guard.confirmWith, confirm: typeof b.confirm === 'string' ? b.confirm : undefined, message: plan.guard.message, affected: plan.destroys });
  const done = await runOnHost(hostId, transportFor(host), plan, { timeoutMs: 120_000 });
  const warnings = action === 'shutdown' ? [`${vm} was asked to shut down; a guest without an OS or ACPI support ignores this (state now: ${dom.domain.state} → check again)`] : [];
  return ranResult(plan, done, plan.title, { warnings });
}
