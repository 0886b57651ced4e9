import 'server-only';
import type { Invocation } from '../commands/command';
import { renderInvocation } from '../commands/shell';
import type { ExecOptions, ExecResult, Transport } from '../transport/types';

/**
 * A Transport for unit tests of operations: records every exec (shell text and stdin) and answers
 * from `answer` (default: exit 0, no output). Never touches a host.
 */
export interface FakeCall {
  command: string;
  stdin: string | undefined;
}

export function fakeTransport(answer: (command: string, call: number) => Partial<ExecResult> | undefined = () => undefined): Transport & { calls: FakeCall[] } {
  const calls: FakeCall[] = [];
  return {
    kind: 'local',
    calls,
    async exec(inv: Invocation, opts: ExecOptions = {}): Promise<ExecResult> {
      const command = renderInvocation(inv);
      calls.push({ command, stdin: opts.stdin === undefined ? undefined : String(opts.stdin) });
      return { exitCode: 0, stdout: '', stderr: '', timedOut: false, aborted: false, durationMs: 0, ...answer(command, calls.length - 1) };
    },
    stats: () => ({ connections: 0, execs: calls.length, active: 0, queued: 0 }),
    close: async () => {},
  };
}
