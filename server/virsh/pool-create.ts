import 'server-only';
import { buildEffect } from '@/lib/pool-types';
import { randomUUID } from 'node:crypto';
import type { PoolCreateInput, StepResult } from '@/lib/schemas';
import { AppError } from '../errors';
import { guard } from '../operations/guards';
import { describeStep, type Plan, type Step } from '../operations/plan';
import { runPlan, type RunOptions } from '../operations/run';
import type { Transport } from '../transport/types';
import { buildPoolXml } from '../xml/build-pool';
import { poolAutostartCommand, poolBuildCommand, poolDefineCommand, poolStartCommand, poolStopCommand, poolUndefineCommand } from './pools';
import { secretSteps, secretXml } from './secrets';

/**
 * Creating a pool is an operation (server/operations): (secret) → define → build → start →
 * autostart, each shown before it runs and reported as it runs. Each step that makes something
 * carries its undo (secret-undefine, pool-undefine, pool-destroy): if a step fails, the runner
 * undoes what was done in reverse, so no half-made pool is left behind, and the request fails
 * (502, the step list in `detail`).
 */
export type PoolStepId = 'secret-define' | 'secret-value' | 'define' | 'build' | 'start' | 'autostart';

export interface PoolPlan extends Plan {
  xml: string;
  secretUsage: string | null;
  secretUuid: string | null;
}

export function planPoolCreate(uri: string, input: PoolCreateInput, uuid: () => string = randomUUID): PoolPlan {
  const steps: Step[] = [];
  let secretUsage: string | null = null;
  let secretUuid: string | null = null;
  if (input.source.auth?.secret) {
    // The CHAP password becomes a libvirt secret; its value goes in on stdin, never in argv.
    secretUsage = `ksc-pool-${input.name}`;
    secretUuid = uuid();
    const xml = secretXml({ uuid: secretUuid, usage: { type: 'iscsi', target: secretUsage } });
    steps.push(...secretSteps(uri, secretUuid, xml, input.source.auth.secret, { define: 'Store the CHAP secret (libvirt secret object)', value: 'Set its value (read from stdin, not shown)' }));
  }
  const xml = buildPoolXml(input, { secretUsage: secretUsage ?? undefined });
  steps.push({
    id: 'define',
    title: 'Define the pool from its XML',
    inv: poolDefineCommand(uri),
    stdin: xml,
    timeoutMs: 60_000,
    undo: { id: 'undo-define', title: 'Undefine the half-made pool', inv: poolUndefineCommand(uri, input.name) },
  });
  if (input.build)
    steps.push({ id: 'build', title: `Build: ${buildEffect(input.type) ?? 'prepare the storage'}`, inv: poolBuildCommand(uri, input.name, input.type, input.overwrite), timeoutMs: 600_000 });
  if (input.start)
    steps.push({ id: 'start', title: 'Start the pool', inv: poolStartCommand(uri, input.name), timeoutMs: 60_000, undo: { id: 'undo-start', title: 'Stop the pool again', inv: poolStopCommand(uri, input.name) } });
  if (input.autostart) steps.push({ id: 'autostart', title: 'Start it when the host boots', inv: poolAutostartCommand(uri, input.name, true), timeoutMs: 60_000 });
  const overwrites = input.build && input.overwrite;
  return {
    title: `Create pool ${input.name}`,
    steps,
    xml,
    secretUsage,
    secretUuid,
    ...(overwrites ? { destroys: input.source.devices ?? (input.source.device ? [input.source.device] : []), guard: { hazard: 'overwrite-build', confirmWith: input.name, message: overwriteMessage(input) } } : {}),
  };
}

const overwriteMessage = (input: PoolCreateInput) => `Building “${input.name}” with overwrite ${buildEffect(input.type) ?? 'destroys what the source holds'}`;

/** The dry run's steps: what runs, secret values left out. */
export const describePoolPlan = (plan: PoolPlan) => plan.steps.map(describeStep);

export interface PoolCreateResult {
  ok: true;
  xml: string;
  steps: StepResult[];
  rolledBack: false;
}

/** Run the create; `signal` (a cancelled job) kills the running step, and what was done is undone. */
export async function poolCreate(t: Transport, uri: string, input: PoolCreateInput, existing: string[], onStep?: RunOptions['onStep'], signal?: AbortSignal): Promise<PoolCreateResult> {
  if (existing.includes(input.name))
    throw new AppError('pool-exists', `A pool named “${input.name}” already exists on this host`, { status: 409 });
  if (input.build && input.overwrite)
    guard({
      hazard: 'overwrite-build',
      name: input.name,
      confirm: input.confirm,
      message: overwriteMessage(input),
      affected: input.source.devices ?? (input.source.device ? [input.source.device] : []),
    });
  const plan = planPoolCreate(uri, input);
  const steps = await runPlan(t, plan, { ...(onStep ? { onStep } : {}), ...(signal ? { signal } : {}) });
  return { ok: true, xml: plan.xml, steps, rolledBack: false };
}
