import 'server-only';
import { spawn } from 'node:child_process';
import type { Invocation } from '../commands/command';
import { renderForExec } from '../commands/shell';
import type { ExecOptions, ExecResult, Transport, TransportStats } from './types';

const DEFAULT_TIMEOUT = 60_000;

/** This machine: `sh -c` in its own process group, so a timeout kills the whole pipeline. */
export class LocalTransport implements Transport {
  readonly kind = 'local' as const;
  /** Like SshTransport: a transport is never an answer. */
  toJSON(): never {
    throw new Error('LocalTransport must not be serialised');
  }

  private execs = 0;
  private active = 0;

  exec(inv: Invocation, opts: ExecOptions = {}): Promise<ExecResult> {
    const started = Date.now();
    this.execs++;
    this.active++;
    return new Promise<ExecResult>((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', renderForExec(inv)], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      let aborted = false;
      const kill = () => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGTERM');
          setTimeout(() => {
            try {
              if (child.pid) process.kill(-child.pid, 'SIGKILL');
            } catch {
              /* already gone */
            }
          }, 1000).unref();
        } catch {
          /* already gone */
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, opts.timeoutMs ?? DEFAULT_TIMEOUT);
      const onAbort = () => {
        aborted = true;
        kill();
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      if (opts.stdoutSink) {
        child.stdout.pipe(opts.stdoutSink, { end: false });
        if (opts.onStdout) child.stdout.on('data', opts.onStdout);
      } else
        child.stdout.on('data', (b: Buffer) => {
          out.push(b);
          opts.onStdout?.(b);
        });
      child.stderr.on('data', (b: Buffer) => {
        err.push(b);
        opts.onStderr?.(b);
      });
      child.on('error', (e) => {
        clearTimeout(timer);
        this.active--;
        reject(e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        this.active--;
        resolve({
          exitCode: code,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          timedOut,
          aborted,
          durationMs: Date.now() - started,
        });
      });
      child.stdin.on('error', () => {}); // the command may exit without reading stdin
      if (opts.stdinStream) {
        opts.stdinStream.on('error', () => child.stdin.end());
        opts.stdinStream.pipe(child.stdin);
      } else child.stdin.end(opts.stdin ?? '');
    });
  }

  stats(): TransportStats {
    return { connections: 0, execs: this.execs, active: this.active, queued: 0 };
  }

  async close(): Promise<void> {}
}
