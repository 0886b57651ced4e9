import 'server-only';
import type { OperationFailureDetail, StepResult } from '@/lib/schemas';
import { renderInvocation } from '../commands/shell';
import { AppError } from '../errors';
import type { ExecOptions, ExecResult, Transport } from '../transport/types';
import { describeStep, type Plan, type Step } from './plan';

export interface RunOptions {
  /** Default per-step timeout (a step's own `timeoutMs` wins). Default 600 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Each step's result as it finishes (undo steps too): a job's progress, for example. */
  onStep?: (r: StepResult, phase: 'do' | 'undo') => void;
  /** Streamed stdout of the steps (progress parsers). */
  onStdout?: ExecOptions['onStdout'];
  /**
   * Steps an earlier stage of the same operation already ran (a detach, then its check, then the
   * volume delete): a failure's `stepsDone` lists them first. Their undo steps are not run.
   */
  done?: readonly StepResult[];
  /**
   * Each step's raw exec result (exit code, stdout and stderr apart), for callers that parse an
   * answer. It may return the result to judge instead: an upload virsh finished with exit 0 from a
   * body that broke off is a failure the caller knows of (then the undo steps run as for any failure).
   */
  onExec?: (s: Step, r: ExecResult) => ExecResult | void;
  /** The stream a `streamIn` step reads, made when that step starts. */
  stdinStream?: () => NonNullable<ExecOptions['stdinStream']>;
}

/** virsh's most specific line: the last `error: …` (the first only says "Failed to …"); else all of stderr. */
export function lastErrorLine(stderr: string): string | null {
  const errs = stderr
    .split('\n')
    .filter((l) => l.startsWith('error: '))
    .map((l) => l.slice(7));
  return errs[errs.length - 1] ?? (stderr.trim() || null);
}

const failed = (r: ExecResult, s?: Step) => (r.exitCode !== 0 && !(r.exitCode !== null && s?.okExit?.includes(r.exitCode))) || r.timedOut || r.aborted;

function resultOf(s: Step, r: ExecResult): StepResult {
  const ok = !failed(r, s);
  const err = r.stderr.trim() || (r.aborted ? 'cancelled' : r.timedOut ? 'timed out' : `exit ${r.exitCode}`);
  return { ...describeStep(s), ok, output: (r.stdout + (ok ? r.stderr : '')).trim(), ...(ok ? {} : { error: err }) };
}

/**
 * How often a step with `retryIf` runs at most. qemu's LUKS benchmark failure comes in runs on a
 * fast, quiet machine (three in a row were seen): each try costs milliseconds, so allow plenty.
 */
export const RETRY_ATTEMPTS = 10;

async function exec(t: Transport, s: Step, opts: RunOptions): Promise<ExecResult> {
  const once = () =>
    t.exec(s.inv, {
      timeoutMs: s.timeoutMs ?? opts.timeoutMs ?? 600_000,
      ...(s.stdin !== undefined ? { stdin: s.stdin } : {}),
      audit: { title: s.title, stdinPublic: s.stdin !== undefined && !s.secret },
      ...(s.streamIn && opts.stdinStream ? { stdinStream: opts.stdinStream() } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onStdout ? { onStdout: opts.onStdout } : {}),
    });
  let r = await once();
  // A transient failure the step declares (Step.retryIf): run it again, at most RETRY_ATTEMPTS times in all.
  for (let attempt = 1; attempt < RETRY_ATTEMPTS && s.retryIf && failed(r, s) && !r.aborted && s.retryIf.test(r.stderr); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt)); // failures come in bursts: spread the tries
    r = await once();
  }
  return r;
}

/**
 * Run a plan step by step. The one failure model: at the first failing step, the undo steps of
 * the steps done before it run in reverse, and one AppError is thrown — 502 `command-failed`
 * (`command-timeout`, `cancelled`) whose detail is `{failedStep, command, stderr, exitCode,
 * timedOut, stepsDone, undone}`. A failed operation never answers 2xx. Secret stdin is fed to
 * its command and appears nowhere in the results.
 */
export async function runPlan(t: Transport, plan: Plan | Step[], opts: RunOptions = {}): Promise<StepResult[]> {
  const steps = Array.isArray(plan) ? plan : plan.steps;
  const done: Array<{ step: Step; result: StepResult }> = [];
  for (const s of steps) {
    const ran = await exec(t, s, opts);
    const r = opts.onExec?.(s, ran) ?? ran;
    const res = resultOf(s, r);
    opts.onStep?.(res, 'do');
    if (res.ok) {
      done.push({ step: s, result: res });
      continue;
    }
    const undone: StepResult[] = [];
    for (const d of [...done].reverse()) {
      if (!d.step.undo) continue;
      // An undo runs even when the operation was cancelled: it must not leave a half-made object.
      const u = resultOf(d.step.undo, await t.exec(d.step.undo.inv, { timeoutMs: d.step.undo.timeoutMs ?? 60_000, ...(d.step.undo.stdin !== undefined ? { stdin: d.step.undo.stdin } : {}), audit: { title: `Undo: ${d.step.undo.title}`, stdinPublic: !d.step.undo.secret } }).catch(
        (e: unknown): ExecResult => ({ exitCode: null, stdout: '', stderr: (e as Error).message, timedOut: false, aborted: false, durationMs: 0 }),
      ));
      undone.push(u);
      opts.onStep?.(u, 'undo');
    }
    const detail: OperationFailureDetail = {
      failedStep: res,
      command: renderInvocation(s.inv),
      stderr: r.stderr.trim(),
      exitCode: r.exitCode,
      timedOut: r.timedOut,
      stepsDone: [...(opts.done ?? []), ...done.map((d) => d.result)],
      undone,
    };
    const code = r.aborted ? 'cancelled' : r.timedOut ? 'command-timeout' : 'command-failed';
    const why = r.aborted ? 'cancelled' : r.timedOut ? 'timed out' : (lastErrorLine(r.stderr) ?? `exit ${r.exitCode}`);
    const undoneWords = undone.length ? ` (undone: ${undone.filter((u) => u.ok).length} of ${undone.length} step${undone.length === 1 ? '' : 's'})` : '';
    throw new AppError(code, `${s.title} failed: ${why}${undoneWords}`, { status: 502, detail });
  }
  return done.map((d) => d.result);
}

/** Run one step alone (same failure model). */
export const runStep = async (t: Transport, s: Step, opts: RunOptions = {}): Promise<StepResult> => (await runPlan(t, [s], opts))[0]!;
