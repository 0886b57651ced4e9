import 'server-only';
import type { DomainActionResultDto, PlanStepDto } from '@/lib/schemas';
import type { Command } from '../commands/command';
import { renderInvocation } from '../commands/shell';
import { AppError } from '../errors';
import type { Transport } from '../transport/types';

/** One planned step: the command, and what it reads on stdin (disk or snapshot XML). */
export interface Step {
  title: string;
  cmd: Command;
  stdin?: string;
  /** How the preview names the stdin document (`virsh … < disk.xml`). */
  stdinName?: string;
}

export type StepResult = DomainActionResultDto['steps'][number];

/** How a step is previewed: the exact shell text, and the stdin document beside it. */
export function previewStep(s: Step): PlanStepDto {
  return { title: s.title, command: renderInvocation(s.cmd) + (s.stdin ? ` < ${s.stdinName ?? 'disk.xml'}` : ''), ...(s.stdin ? { stdin: s.stdin } : {}) };
}

/** Run a step; a failure throws `command-failed` with the command, its stderr and the steps done before it. */
export async function runStep(t: Transport, s: Step, done: StepResult[], timeoutMs = 120_000): Promise<StepResult> {
  const r = await t.exec(s.cmd, { stdin: s.stdin, timeoutMs });
  const res: StepResult = { ...previewStep(s), ok: r.exitCode === 0 && !r.timedOut, output: (r.stdout + r.stderr).trim() };
  if (!res.ok)
    throw new AppError(r.timedOut ? 'command-timeout' : 'command-failed', `${s.title} failed: ${firstError(r.stderr) ?? (r.timedOut ? 'timed out' : `exit ${r.exitCode}`)}`, {
      status: 502,
      detail: { command: renderInvocation(s.cmd), exitCode: r.exitCode, stderr: r.stderr.trim(), timedOut: r.timedOut, stepsDone: done.map((d) => d.command) },
    });
  done.push(res);
  return res;
}

/** virsh's most specific line: the last `error: …` (the first only says "Failed to …"). */
export function firstError(stderr: string): string | null {
  const errs = stderr
    .split('\n')
    .filter((l) => l.startsWith('error: '))
    .map((l) => l.slice(7));
  return errs[errs.length - 1] ?? (stderr.trim() || null);
}

export const conflict = (code: string, message: string, detail?: unknown) => new AppError(code, message, { status: 409, detail });
