import 'server-only';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import type { Invocation } from '../commands/command';
import { renderForExec, shQuote } from '../commands/shell';
import { classifySshError, TransportError } from './errors';
import { sha256Fingerprint } from './fingerprint';
import { Semaphore } from './semaphore';
import type { ExecOptions, ExecResult, Transport, TransportStats } from './types';

export interface SshTarget {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** Pinned host key fingerprint, `SHA256:…`. Without one the host is refused before authentication. */
  readonly hostKey: string | undefined;
  readonly privateKey?: Buffer;
  /** ssh-agent socket path (SSH_AUTH_SOCK). */
  readonly agent?: string;
}

export interface SshOptions {
  /** Concurrent exec channels; OpenSSH's MaxSessions is 10, and kills need a spare channel. */
  readonly maxChannels?: number;
  readonly keepaliveIntervalMs?: number;
  readonly keepaliveCountMax?: number;
  readonly readyTimeoutMs?: number;
}

const DEFAULT_TIMEOUT = 60_000;
const PGID_MARK = '@@ksc-pgid ';

/**
 * Every remote command runs in its own session and process group (`setsid -w`), which reports
 * its id first on stderr; a timeout or abort kills that whole group over a second channel —
 * closing a channel alone leaves the remote process running.
 */
function wrapRemote(inv: Invocation): string {
  const inner = renderForExec(inv);
  return `setsid -w sh -c 'printf "${PGID_MARK}%s\\n" "$$" >&2; exec sh -c "$1"' ksc-exec ${shQuote(inner)}`;
}

interface Live {
  client: Client;
  failures: Set<(e: TransportError) => void>;
}

/** One pooled ssh2 connection per host, reused by every command, with a channel limit and queue. */
export class SshTransport implements Transport {
  readonly kind = 'ssh' as const;
  private live: Promise<Live> | null = null;
  private readonly slots: Semaphore;
  private connections = 0;
  private execs = 0;
  private readonly label: string;
  // The key material lives in ES private fields: no serialiser, spread or property walk can see it.
  readonly #target: SshTarget;
  readonly #options: SshOptions;

  constructor(target: SshTarget, options: SshOptions = {}) {
    this.#target = target;
    this.#options = options;
    this.slots = new Semaphore(options.maxChannels ?? 8);
    this.label = `${target.username}@${target.host}:${target.port}`;
  }

  /** A transport is never an answer: serialising one is a bug, and it fails loudly instead of leaking. */
  toJSON(): never {
    throw new Error(`SshTransport(${this.label}) must not be serialised`);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SshTransport(${this.label})`;
  }

  stats(): TransportStats {
    return { connections: this.connections, execs: this.execs, active: this.slots.active, queued: this.slots.queued };
  }

  async close(): Promise<void> {
    const live = this.live;
    this.live = null;
    if (live) (await live.catch(() => null))?.client.end();
  }

  private connect(): Promise<Live> {
    if (this.live) return this.live;
    const attempt = new Promise<Live>((resolve, reject) => {
      const client = new Client();
      const failures = new Set<(e: TransportError) => void>();
      let rejectedKey: { presented: string; pinned: string | undefined } | null = null;
      let ready = false;
      const fail = (err: unknown) => {
        const e = rejectedKey
          ? new TransportError(
              rejectedKey.pinned ? 'hostkey-changed' : 'hostkey-unknown',
              rejectedKey.pinned
                ? `${this.label} presented host key ${rejectedKey.presented}, not the pinned ${rejectedKey.pinned}: refused (a changed key can mean a reinstalled host or an attack)`
                : `${this.label} presented host key ${rejectedKey.presented}, and no key is pinned for it: refused before authentication`,
              { presented: rejectedKey.presented, pinned: rejectedKey.pinned ?? null },
            )
          : classifySshError(err, this.label);
        if (this.live === attempt) this.live = null;
        for (const f of failures) f(e);
        failures.clear();
        if (!ready) reject(e);
      };
      const config: ConnectConfig = {
        host: this.#target.host,
        port: this.#target.port,
        username: this.#target.username,
        privateKey: this.#target.privateKey,
        agent: this.#target.agent,
        // A frozen host accepts TCP but never sends its banner: give up in 4 s, inside the 5 s promise.
        readyTimeout: this.#options.readyTimeoutMs ?? 4000,
        keepaliveInterval: this.#options.keepaliveIntervalMs ?? 1000,
        keepaliveCountMax: this.#options.keepaliveCountMax ?? 3,
        hostVerifier: (key: Buffer) => {
          const presented = sha256Fingerprint(key);
          if (this.#target.hostKey && presented === this.#target.hostKey) return true;
          rejectedKey = { presented, pinned: this.#target.hostKey };
          return false;
        },
      };
      client
        .on('ready', () => {
          ready = true;
          this.connections++;
          resolve({ client, failures });
        })
        .on('error', fail)
        .on('close', () => fail(new Error('connection lost')));
      client.connect(config);
      // Nagle's algorithm held each exec's small packets back ~40 ms (measured: `exec true` 52 →
      // 7 ms): commands and their answers are small and latency-bound, so send at once.
      client.setNoDelay(true);
    });
    this.live = attempt;
    return attempt;
  }

  async exec(inv: Invocation, opts: ExecOptions = {}): Promise<ExecResult> {
    const release = await this.slots.acquire();
    try {
      const live = await this.connect();
      this.execs++;
      return await this.run(live, inv, opts);
    } finally {
      release();
    }
  }

  /**
   * Open an exec channel and hand it to `attach` synchronously, inside ssh2's callback: ssh2 may
   * deliver the output, exit status and close in the same tick, so listeners attached a
   * microtask later (after a promise) can miss the exit status.
   */
  private openChannel(live: Live, line: string, attach: (s: ClientChannel) => void, failed: (e: TransportError) => void, attempt = 0): void {
    live.client.exec(line, (err, stream) => {
      if (!err) return attach(stream);
      // Another client of the same sshd may hold sessions: back off instead of failing.
      if (err.message.includes('Channel open failure') && attempt < 20) {
        setTimeout(() => this.openChannel(live, line, attach, failed, attempt + 1), 50 * (attempt + 1));
        return;
      }
      failed(classifySshError(err, this.label));
    });
  }

  private run(live: Live, inv: Invocation, opts: ExecOptions): Promise<ExecResult> {
    const started = Date.now();
    return new Promise<ExecResult>((resolve, reject) => {
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let errHead: Buffer = Buffer.alloc(0);
      let pgid: string | null = null;
      let exitCode: number | null = null;
      let timedOut = false;
      let aborted = false;
      let settled = false;
      let stream: ClientChannel | null = null;
      const onLost = (e: TransportError) => finish(e);
      live.failures.add(onLost);
      const finish = (e?: TransportError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        live.failures.delete(onLost);
        if (e) return reject(e);
        resolve({
          exitCode,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          timedOut,
          aborted,
          durationMs: Date.now() - started,
        });
      };
      const killRemote = () => {
        if (pgid) {
          const kill = `kill -TERM -- -${pgid} 2>/dev/null; sleep 1; kill -KILL -- -${pgid} 2>/dev/null; true`;
          live.client.exec(kill, (e, s) => {
            if (!e) s.resume().on('close', () => stream?.close());
            else stream?.close();
          });
        } else {
          stream?.close();
        }
        // Whatever happens remotely, the caller hears back promptly.
        setTimeout(() => finish(), 3000).unref();
      };
      const timer = setTimeout(() => {
        timedOut = true;
        killRemote();
      }, opts.timeoutMs ?? DEFAULT_TIMEOUT);
      const onAbort = () => {
        aborted = true;
        killRemote();
      };
      if (opts.signal?.aborted) onAbort();
      else opts.signal?.addEventListener('abort', onAbort, { once: true });

      this.openChannel(
        live,
        wrapRemote(inv),
        (s) => {
          stream = s;
          if (settled) return void s.close();
          if (opts.stdoutSink) {
            // Downloads: the channel pauses while the sink is full (no buffering in memory).
            s.pipe(opts.stdoutSink, { end: false });
            if (opts.onStdout) s.on('data', opts.onStdout);
          } else
            s.on('data', (b: Buffer) => {
              out.push(b);
              opts.onStdout?.(b);
            });
          s.stderr.on('data', (b: Buffer) => {
            if (pgid === null) {
              // The first stderr line is the wrapper's process-group id, not the command's.
              errHead = Buffer.concat([errHead, b]);
              const nl = errHead.indexOf(0x0a);
              if (nl < 0) return;
              const first = errHead.subarray(0, nl).toString('latin1');
              const marked = first.startsWith(PGID_MARK);
              const id = marked ? first.slice(PGID_MARK.length).trim() : '';
              pgid = /^\d+$/.test(id) ? id : '';
              const rest = marked ? errHead.subarray(nl + 1) : errHead;
              errHead = Buffer.alloc(0);
              if (rest.length) {
                err.push(rest);
                opts.onStderr?.(rest);
              }
              if (timedOut || aborted) killRemote();
              return;
            }
            err.push(b);
            opts.onStderr?.(b);
          });
          s.on('exit', (code: number | null) => {
            exitCode = typeof code === 'number' ? code : null;
          });
          s.on('close', () => finish());
          if (opts.stdinStream) {
            opts.stdinStream.on('error', () => s.end());
            opts.stdinStream.pipe(s);
          } else s.end(opts.stdin ?? undefined);
        },
        (e) => finish(e),
      );
    });
  }
}
