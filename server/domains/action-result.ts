import 'server-only';
import type { DomainActionResultDto, StepResult } from '@/lib/schemas';
import { invalidate } from '../hosts/storage-cache';
import { describePlan, type Plan } from '../operations/plan';
import { runPlan, type RunOptions } from '../operations/run';
import type { Transport } from '../transport/types';

/**
 * What a VM write answers (`DomainActionResultDto`), made from its plan: the preview of a dry run
 * (the plan's steps as shell text, what it destroys), or the steps it ran. XML documents of the
 * steps go on stdin (`< disk.xml` in the preview).
 */
export interface ResultExtra {
  xml?: string | null;
  warnings?: string[];
}

export const previewResult = (plan: Plan, message: string, extra: ResultExtra = {}): DomainActionResultDto => ({
  dryRun: true,
  ok: true,
  message,
  xml: extra.xml ?? null,
  steps: describePlan(plan).steps,
  discards: plan.destroys ?? [],
  warnings: extra.warnings ?? [],
});

export const ranResult = (plan: Plan, steps: StepResult[], message: string, extra: ResultExtra = {}): DomainActionResultDto => ({
  dryRun: false,
  ok: true,
  message,
  xml: extra.xml ?? null,
  steps,
  discards: plan.destroys ?? [],
  warnings: extra.warnings ?? [],
});

/**
 * Run a VM write's steps (server/operations failure model: undo in reverse, one 502 with
 * `failedStep`, `stepsDone`, `undone`) and drop the host's cached read whatever happened.
 */
export async function runOnHost(hostId: string, t: Transport, plan: Plan | Plan['steps'], opts: RunOptions): Promise<StepResult[]> {
  try {
    return await runPlan(t, plan, opts);
  } finally {
    invalidate(hostId);
  }
}
