import 'server-only';
import type { DomainActionResultDto, StepResult } from '@/lib/schemas';
import { describePlan, type Plan } from '../operations/plan';

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
