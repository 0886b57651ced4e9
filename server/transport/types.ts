import 'server-only';
import type { Readable, Writable } from 'node:stream';
import type { Invocation } from '../commands/command';

export interface ExecOptions {
  /** Kill the command (remotely too) after this long. Default 60 s. */
  readonly timeoutMs?: number;
  /** Data for the command's stdin; closed after it is written. */
  readonly stdin?: string | Buffer;
  /** Abort (e.g. a cancelled job): the command is killed like a timeout. */
  readonly signal?: AbortSignal;
  /** Streamed chunks, for progress; the full output is still returned. */
  readonly onStdout?: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: Buffer) => void;
  /** Streamed stdin (uploads): piped with backpressure, never held whole in memory. Wins over `stdin`. */
  readonly stdinStream?: Readable;
  /** Streamed stdout (downloads): piped with backpressure; stdout is then not collected. */
  readonly stdoutSink?: Writable;
  /**
   * For the audit log (server/audit/transport.ts): the plan step's title, and whether its stdin
   * may be recorded (a pool's XML yes, a passphrase never). Unmarked stdin is not recorded.
   */
  readonly audit?: { readonly title?: string; readonly stdinPublic?: boolean };
}

export interface ExecResult {
  /** null when the command was killed by a signal or never reported a status. */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  readonly durationMs: number;
}

export interface TransportStats {
  /** SSH connections opened so far (1 while a pooled connection stays up). */
  readonly connections: number;
  /** Commands run (one round trip each). */
  readonly execs: number;
  /** Commands running now, and waiting for a free channel. */
  readonly active: number;
  readonly queued: number;
}

/**
 * How the server reaches a host. One exec is one round trip. Implementations: LocalTransport
 * (this machine, child_process) and SshTransport (ssh2, one pooled connection per host).
 */
export interface Transport {
  readonly kind: 'local' | 'ssh';
  exec(inv: Invocation, opts?: ExecOptions): Promise<ExecResult>;
  stats(): TransportStats;
  close(): Promise<void>;
}
