import 'server-only';
import type { StepResult } from '@/lib/schemas';
import { AppError } from '../errors';
import { describeStep, type Step } from '../operations/plan';
import { runPlan } from '../operations/run';
import type { Transport } from '../transport/types';

/** Domain writes are plans of server/operations steps; XML documents go on stdin (`< disk.xml` in the preview). */
export type { Step, StepResult };

export const previewStep = describeStep;

/**
 * Run a step; on success its result is appended to `done`. A failure throws the operations
 * model's 502 (`failedStep`, `stderr`, `stepsDone` — the steps of `done` plus none of this one —, `undone`).
 */
export async function runStep(t: Transport, s: Step, done: StepResult[], timeoutMs = 120_000): Promise<StepResult> {
  try {
    const [res] = await runPlan(t, [s], { timeoutMs });
    done.push(res!);
    return res!;
  } catch (e) {
    if (e instanceof AppError && e.detail && typeof e.detail === 'object') (e.detail as { stepsDone: StepResult[] }).stepsDone = [...done];
    throw e;
  }
}

export const conflict = (code: string, message: string, detail?: unknown) => new AppError(code, message, { status: 409, detail });
