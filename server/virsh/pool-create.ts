import 'server-only';
import { buildEffect, buildFormats } from '@/lib/pool-types';
import { randomUUID } from 'node:crypto';
import type { PoolCreateInput } from '@/lib/schemas';
import type { Command } from '../commands/command';
import { renderInvocation } from '../commands/shell';
import { call, virsh } from '../commands/virsh';
import { AppError } from '../errors';
import { requireConfirmation } from '../guards';
import type { Transport } from '../transport/types';
import { buildPoolXml } from '../xml/build-pool';

/**
 * Creating a pool is a plan of steps — (secret) → define → build → start → autostart — each
 * shown before it runs and reported as it runs. If a step fails, what was done is undone in
 * reverse (stop, undefine, drop the secret), so no half-made pool is left behind.
 */
export interface PlannedStep {
  id: 'secret-define' | 'secret-value' | 'define' | 'build' | 'start' | 'autostart';
  title: string;
  command: string; // shell text, exactly what runs
  cmd: Command;
  stdin?: string; // XML fed on stdin (secret values are never shown)
  showStdin?: boolean;
}

export interface StepResult {
  id: PlannedStep['id'] | `undo-${string}`;
  title: string;
  command: string;
  ok: boolean;
  output: string;
  error: string;
}

export interface PoolPlan {
  xml: string;
  secretUsage: string | null;
  secretUuid: string | null;
  steps: PlannedStep[];
}

export function planPoolCreate(uri: string, input: PoolCreateInput): PoolPlan {
  const steps: PlannedStep[] = [];
  let secretUsage: string | null = null;
  let secretUuid: string | null = null;
  if (input.source.auth?.secret) {
    // The CHAP password becomes a libvirt secret; its value goes in on stdin, never in argv.
    secretUsage = `ksc-pool-${input.name}`;
    const uuid = randomUUID();
    secretUuid = uuid;
    const secretXml =
      `<secret ephemeral='no' private='yes'>\n  <uuid>${uuid}</uuid>\n  <usage type='iscsi'>\n    <target>${escapeText(secretUsage)}</target>\n  </usage>\n</secret>\n`;
    const def = virsh(uri, call('secret-define', '--file', '/dev/stdin'));
    steps.push({ id: 'secret-define', title: 'Store the CHAP secret (libvirt secret object)', command: renderInvocation(def), cmd: def, stdin: secretXml, showStdin: true });
    const val = virsh(uri, call('secret-set-value', '--secret', uuid, '--file', '/dev/stdin', '--plain'));
    steps.push({ id: 'secret-value', title: 'Set its value (read from stdin, not shown)', command: renderInvocation(val), cmd: val, stdin: input.source.auth.secret });
  }
  const xml = buildPoolXml(input, { secretUsage: secretUsage ?? undefined });
  const define = virsh(uri, call('pool-define', '--file', '/dev/stdin'));
  steps.push({ id: 'define', title: 'Define the pool from its XML', command: renderInvocation(define), cmd: define, stdin: xml, showStdin: true });
  if (input.build) {
    // --overwrite/--no-overwrite apply where building formats a device; dir and netfs take neither.
    const formats = buildFormats(input.type);
    const flags = formats ? [input.overwrite ? '--overwrite' : '--no-overwrite'] : [];
    const build = virsh(uri, call('pool-build', ...flags, '--', input.name));
    steps.push({ id: 'build', title: `Build: ${buildEffect(input.type) ?? 'prepare the storage'}`, command: renderInvocation(build), cmd: build });
  }
  if (input.start) {
    const start = virsh(uri, call('pool-start', '--', input.name));
    steps.push({ id: 'start', title: 'Start the pool', command: renderInvocation(start), cmd: start });
  }
  if (input.autostart) {
    const auto = virsh(uri, call('pool-autostart', '--', input.name));
    steps.push({ id: 'autostart', title: 'Start it when the host boots', command: renderInvocation(auto), cmd: auto });
  }
  return { xml, secretUsage, secretUuid, steps };
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface PoolCreateResult {
  ok: boolean;
  xml: string;
  steps: StepResult[];
  rolledBack: boolean;
}

export async function poolCreate(t: Transport, uri: string, input: PoolCreateInput, existing: string[], onStep?: (s: StepResult) => void): Promise<PoolCreateResult> {
  if (existing.includes(input.name))
    throw new AppError('pool-exists', `A pool named “${input.name}” already exists on this host`, { status: 409 });
  if (input.build && input.overwrite)
    requireConfirmation({
      hazard: 'overwrite-build',
      name: input.name,
      confirm: input.confirm,
      message: `Building “${input.name}” with overwrite ${buildEffect(input.type) ?? 'destroys what the source holds'}`,
      detail: input.source.devices ?? (input.source.device ? [input.source.device] : []),
    });
  const plan = planPoolCreate(uri, input);
  const results: StepResult[] = [];
  const done: PlannedStep['id'][] = [];
  for (const step of plan.steps) {
    const r = await t.exec(step.cmd, { stdin: step.stdin, timeoutMs: step.id === 'build' ? 600_000 : 60_000 });
    const ok = r.exitCode === 0 && !r.timedOut;
    const res: StepResult = { id: step.id, title: step.title, command: step.command, ok, output: r.stdout.trim(), error: ok ? '' : r.stderr.trim() || (r.timedOut ? 'timed out' : `exit ${r.exitCode}`) };
    results.push(res);
    onStep?.(res);
    if (!ok) {
      await rollback(t, uri, input.name, done, done.includes('secret-define') ? plan.secretUuid : null, results, onStep);
      return { ok: false, xml: plan.xml, steps: results, rolledBack: true };
    }
    done.push(step.id);
  }
  return { ok: true, xml: plan.xml, steps: results, rolledBack: false };
}

async function rollback(t: Transport, uri: string, name: string, done: PlannedStep['id'][], secretUuid: string | null, results: StepResult[], onStep?: (s: StepResult) => void) {
  const undo: Array<[string, Command]> = [];
  if (done.includes('start')) undo.push(['Stop the pool again', virsh(uri, call('pool-destroy', '--', name))]);
  if (done.includes('define')) undo.push(['Undefine the half-made pool', virsh(uri, call('pool-undefine', '--', name))]);
  if (secretUuid) undo.push(['Remove the secret', virsh(uri, call('secret-undefine', '--', secretUuid))]);
  for (const [title, cmd] of undo) {
    const r = await t.exec(cmd, { timeoutMs: 60_000 });
    const res: StepResult = { id: `undo-${title}`, title, command: renderInvocation(cmd), ok: r.exitCode === 0, output: r.stdout.trim(), error: r.stderr.trim() };
    results.push(res);
    onStep?.(res);
  }
}
