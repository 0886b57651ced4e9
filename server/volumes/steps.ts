import 'server-only';
import type { StepResult } from '@/lib/schemas';
import { call, virsh } from '../commands/virsh';
import { describeStep, type Step } from '../operations/plan';
import { runPlan, type RunOptions } from '../operations/run';
import type { Transport } from '../transport/types';

/** Volume operations are plans of server/operations steps; these are the volume-side helpers. */
export type { Step };
export { describeStep };

/** Run the steps (server/operations failure model: undo in reverse, one 502 with the step list). */
export const runSteps = (t: Transport, steps: Step[], opts: RunOptions = {}): Promise<StepResult[]> => runPlan(t, steps, opts);

/**
 * qemu's LUKS key-derivation benchmark fails at random ("Unable to get accurate CPU usage") when
 * the thread's CPU clock did not advance over its first round: tick-based accounting on a busy or
 * virtual machine. Nothing was written; the same command succeeds when run again (Step.retryIf).
 */
export const LUKS_BENCHMARK_FLAKE = /Unable to get accurate CPU usage/;

/** libvirt learns of files made or changed behind its back (qemu-img) by a pool refresh. */
export const refreshStep = (uri: string, pool: string): Step => ({
  title: `Refresh pool ${pool} so libvirt sees the change`,
  inv: virsh(uri, call('pool-refresh', '--', pool)),
});
