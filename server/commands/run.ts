import 'server-only';
import { AppError } from '../errors';
import type { ExecOptions, ExecResult, Transport } from '../transport/types';
import type { Invocation } from './command';
import { renderInvocation } from './shell';

/** Run a command and throw a structured `command-failed` error (argv as shell text, exit code, stderr) unless it exits 0. */
export async function runChecked(t: Transport, inv: Invocation, what: string, opts: ExecOptions = {}): Promise<ExecResult> {
  const r = await t.exec(inv, opts);
  if (r.exitCode === 0 && !r.timedOut) return r;
  throw new AppError(r.timedOut ? 'command-timeout' : 'command-failed', r.timedOut ? `${what} timed out` : `${what} failed`, {
    status: 502,
    detail: { command: renderInvocation(inv), exitCode: r.exitCode, stderr: r.stderr.trim(), timedOut: r.timedOut },
  });
}
