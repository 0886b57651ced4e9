import 'server-only';
import type { PlannedStep } from '@/lib/schemas';
import type { Invocation } from '../commands/command';
import { renderInvocation } from '../commands/shell';
import type { ConfirmableHazard } from './guards';

/**
 * An operation is a plan: steps built by a pure planner from validated input and a fresh read
 * of the host, previewed with `describePlan` and run by `runPlan` (run.ts). What the preview
 * shows is the object that runs.
 */
export interface Step {
  /** A stable name for the step (pool create: `define`, `build` …), for the UI and tests. */
  id?: string;
  title: string;
  inv: Invocation;
  /** Fed on stdin (XML documents, passphrases). */
  stdin?: string;
  /**
   * stdin is the caller's stream (RunOptions.stdinStream: an upload's HTTP body), piped with
   * backpressure and never held in memory; the preview shows no stdin.
   */
  streamIn?: boolean;
  /** stdin holds a secret (a passphrase): it is fed to the command but never shown or returned. */
  secret?: boolean;
  /** How the preview names a shown stdin document (`virsh … < disk.xml`); default: no suffix. */
  stdinName?: string;
  timeoutMs?: number;
  /**
   * Exit codes that are answers, not failures (qemu-img check: 2 corruptions, 3 leaks …); default
   * only 0. The caller reads the answer through runPlan's `onExec`.
   */
  okExit?: readonly number[];
  /** A failure whose stderr matches is transient: the step is run again (at most RETRY_ATTEMPTS times in all, run.ts). */
  retryIf?: RegExp;
  /** What takes this step back when a later step fails (run in reverse order). */
  undo?: Step;
}

export interface Plan {
  title: string;
  steps: Step[];
  /** Things the operation destroys or discards, said before the user confirms. */
  destroys?: string[];
  /** The guard that applies (hazard code and the name to type), when there is one. */
  guard?: { hazard: ConfirmableHazard; confirmWith: string; message: string };
}

/** How one step is shown: the exact shell text, its stdin unless secret, the undo's command. */
export function describeStep(s: Step): PlannedStep {
  const command = renderInvocation(s.inv) + (s.stdin && s.stdinName && !s.secret ? ` < ${s.stdinName}` : '');
  return {
    ...(s.id ? { id: s.id } : {}),
    title: s.title,
    command,
    ...(s.stdin && !s.secret ? { stdin: s.stdin } : {}),
    ...(s.undo ? { undo: renderInvocation(s.undo.inv) } : {}),
  };
}

export interface PlanPreview {
  title: string;
  steps: PlannedStep[];
  destroys: string[];
  guard: Plan['guard'] | null;
}

/** The preview of a plan (a dry run's answer): nothing runs. */
export function describePlan(plan: Plan): PlanPreview {
  return { title: plan.title, steps: plan.steps.map(describeStep), destroys: plan.destroys ?? [], guard: plan.guard ?? null };
}

/** A plan of bare steps. */
export const planOf = (title: string, steps: Step[], extra: Omit<Plan, 'title' | 'steps'> = {}): Plan => ({ title, steps, ...extra });
