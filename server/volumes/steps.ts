import 'server-only';
import type { PlannedStep } from '@/lib/schemas';
import type { Invocation } from '../commands/command';
import { runChecked } from '../commands/run';
import { renderInvocation } from '../commands/shell';
import { call, virsh } from '../commands/virsh';
import type { ExecOptions, Transport } from '../transport/types';

/** A step of an operation: what the preview shows is the object that runs. */
export interface Step {
  title: string;
  inv: Invocation;
  stdin?: string;
  /** stdin holds a secret (a passphrase): it is fed to the command but never shown or returned. */
  secret?: boolean;
  timeoutMs?: number;
}

export const describeStep = (s: Step): PlannedStep => ({ title: s.title, command: renderInvocation(s.inv), ...(s.stdin && !s.secret ? { stdin: s.stdin } : {}) });

export async function runSteps(t: Transport, steps: Step[], opts: ExecOptions = {}): Promise<Array<PlannedStep & { output: string }>> {
  const out: Array<PlannedStep & { output: string }> = [];
  for (const s of steps) {
    const r = await runChecked(t, s.inv, s.title, { ...opts, timeoutMs: s.timeoutMs ?? opts.timeoutMs ?? 600_000, ...(s.stdin ? { stdin: s.stdin } : {}) });
    out.push({ ...describeStep(s), output: (r.stdout + r.stderr).trim() });
  }
  return out;
}

/** libvirt learns of files made or changed behind its back (qemu-img) by a pool refresh. */
export const refreshStep = (uri: string, pool: string): Step => ({
  title: `Refresh pool ${pool} so libvirt sees the change`,
  inv: virsh(uri, call('pool-refresh', '--', pool)),
});
