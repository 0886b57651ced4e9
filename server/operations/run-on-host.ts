import 'server-only';
import type { StepResult } from '@/lib/schemas';
import { invalidate } from '../hosts/storage-cache';
import type { Transport } from '../transport/types';
import type { Plan } from './plan';
import { runPlan, type RunOptions } from './run';

/**
 * Run a write's plan on a host (runPlan: undo in reverse, one 502 with `failedStep`, `stepsDone`,
 * `undone`) and drop the host's cached read whatever happened: the next read sees the change, or
 * what a failed run and its undo left.
 */
export async function runOnHost(hostId: string, t: Transport, plan: Plan | Plan['steps'], opts: RunOptions = {}): Promise<StepResult[]> {
  try {
    return await runPlan(t, plan, opts);
  } finally {
    invalidate(hostId);
  }
}
