import 'server-only';
import type { Invocation } from '../commands/command';
import { renderInvocation } from '../commands/shell';
import { currentContext } from '../auth/context';
import type { ExecOptions, ExecResult, Transport, TransportStats } from '../transport/types';

/** The most stdin kept per command in an audit record (a pool XML is a few KiB). */
const MAX_STDIN = 64 * 1024;

/**
 * Every command the console runs on a host passes here (server/hosts/transports.ts hands out only
 * audited transports). Inside a request, a command that acts — a plan step (runPlan marks its
 * exec with `audit`) — is appended to the request's context: the command as the previews render
 * it, exit status, duration, the step's title; the route wrapper writes them into the audit
 * record. Reads (the host read, qemu-img info, path checks) are only counted. stdin only when
 * the step marked it public; secrets never.
 */
export class AuditedTransport implements Transport {
  constructor(private readonly inner: Transport) {}

  get kind() {
    return this.inner.kind;
  }

  async exec(inv: Invocation, opts?: ExecOptions): Promise<ExecResult> {
    const ctx = currentContext();
    if (!ctx) return this.inner.exec(inv, opts);
    if (!opts?.audit) {
      ctx.reads++;
      return this.inner.exec(inv, opts);
    }
    const started = Date.now();
    const entry = {
      ...(opts?.audit?.title ? { title: opts.audit.title } : {}),
      command: renderInvocation(inv),
      ...(opts?.audit?.stdinPublic && typeof opts.stdin === 'string' ? { stdin: opts.stdin.length > MAX_STDIN ? `${opts.stdin.slice(0, MAX_STDIN)}\n… (cut)` : opts.stdin } : {}),
    };
    try {
      const r = await this.inner.exec(inv, opts);
      ctx.commands.push({ ...entry, exitCode: r.exitCode, ok: r.exitCode === 0 && !r.timedOut && !r.aborted, durationMs: r.durationMs });
      return r;
    } catch (e) {
      ctx.commands.push({ ...entry, exitCode: null, ok: false, durationMs: Date.now() - started });
      throw e;
    }
  }

  stats(): TransportStats {
    return this.inner.stats();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
