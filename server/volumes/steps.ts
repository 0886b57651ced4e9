import 'server-only';
import { call, virsh } from '../commands/virsh';
import type { Step } from '../operations/plan';

/** Steps that volume planners share (plans and their runner are server/operations). */

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
