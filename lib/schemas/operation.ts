import { z } from 'zod';

/**
 * The one step DTO of every write (volumes, VM disks and snapshots, power, pool create): what a
 * preview shows and what a run reports. `command` is the exact shell text that runs; `stdin` the
 * document fed to it (never a secret); `undo` the command that would take the step back.
 */
export const PlannedStep = z.object({
  id: z.string().optional(),
  title: z.string(),
  command: z.string(),
  stdin: z.string().optional(),
  undo: z.string().optional(),
});
export type PlannedStep = z.infer<typeof PlannedStep>;

/** A step that ran: ok, its output, and on failure its stderr (or why it ended). */
export const StepResult = PlannedStep.extend({ ok: z.boolean(), output: z.string(), error: z.string().optional() });
export type StepResult = z.infer<typeof StepResult>;

/** A step in a result list that serves both the dry run (planned) and the run (result). */
export const StepDto = PlannedStep.extend({ ok: z.boolean().optional(), output: z.string().optional(), error: z.string().optional() });
export type StepDto = z.infer<typeof StepDto>;

/**
 * `detail` of a failed operation (502 `command-failed` / `command-timeout`): the first failing
 * step and its stderr, the steps done before it, and the undo steps run for them (in reverse).
 */
export const OperationFailureDetail = z.object({
  failedStep: StepResult,
  command: z.string(),
  stderr: z.string(),
  exitCode: z.number().nullable(),
  timedOut: z.boolean(),
  stepsDone: z.array(StepResult),
  undone: z.array(StepResult),
});
export type OperationFailureDetail = z.infer<typeof OperationFailureDetail>;

/** `detail` of a guard's refusal (409, code = the hazard): the name to type and what is at stake. */
export const GuardDetail = z.object({ confirmWith: z.string(), affected: z.unknown().optional() });
export type GuardDetail = z.infer<typeof GuardDetail>;

/** Reads a failure detail defensively (it is `unknown` on the wire). */
export function operationFailure(detail: unknown): OperationFailureDetail | null {
  const r = OperationFailureDetail.safeParse(detail);
  return r.success ? r.data : null;
}
