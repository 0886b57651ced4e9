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
  /** A failure whose stderr matches is transient: the step is tried again (at most 3 times in all). */
  retryIf?: RegExp;
}

/**
 * qemu's LUKS key-derivation benchmark fails at random ("Unable to get accurate CPU usage") when
 * the thread's CPU clock did not advance over its first round: tick-based accounting on a busy or
 * virtual machine. Nothing was written; the same command succeeds when run again.
 */
export const LUKS_BENCHMARK_FLAKE = /Unable to get accurate CPU usage/;

export const describeStep = (s: Step): PlannedStep => ({ title: s.title, command: renderInvocation(s.inv), ...(s.stdin && !s.secret ? { stdin: s.stdin } : {}) });

export async function runSteps(t: Transport, steps: Step[], opts: ExecOptions = {}): Promise<Array<PlannedStep & { output: string }>> {
  const out: Array<PlannedStep & { output: string }> = [];
  for (const s of steps) {
    const run = () => runChecked(t, s.inv, s.title, { ...opts, timeoutMs: s.timeoutMs ?? opts.timeoutMs ?? 600_000, ...(s.stdin ? { stdin: s.stdin } : {}) });
    let r;
    for (let attempt = 1; ; attempt++) {
      try {
        r = await run();
        break;
      } catch (e) {
        const stderr = String(((e as { detail?: { stderr?: unknown } }).detail ?? {}).stderr ?? '');
        if (!s.retryIf || attempt >= 3 || !s.retryIf.test(stderr)) throw e;
      }
    }
    out.push({ ...describeStep(s), output: (r.stdout + r.stderr).trim() });
  }
  return out;
}

/** libvirt learns of files made or changed behind its back (qemu-img) by a pool refresh. */
export const refreshStep = (uri: string, pool: string): Step => ({
  title: `Refresh pool ${pool} so libvirt sees the change`,
  inv: virsh(uri, call('pool-refresh', '--', pool)),
});
