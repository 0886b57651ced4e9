/**
 * Start and kill a console server process (test/helpers/api-server.ts) from a test: a real
 * process with its own memory, SQLite handle and SSH connections, so "the server died" is a
 * SIGKILL, not a cleared global.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { authHeaders } from './auth';
import { REPO } from './lab';

export interface ServerProcess {
  readonly pid: number;
  readonly url: string;
  /** JSON request; answers the status and the parsed body. */
  request<T = unknown>(method: string, pathname: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** SIGKILL, as a crash would; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** What the process wrote to stderr so far. */
  stderr(): string;
}

const gone = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

/** Start a server with `env` over this process's environment; resolves once it listens. */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 90_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', path.join(REPO, 'test/helpers/api-server.ts')], {
    cwd: REPO,
    env: { ...process.env, ...env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server process did not listen within ${timeoutMs} ms\n${err}`));
    }, timeoutMs);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server process exited (${code ?? signal}) before listening\n${err}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    pid: child.pid!,
    url,
    async request<T>(method: string, pathname: string, body?: unknown) {
      const res = await fetch(url + pathname, {
        method,
        // Signed in as an admin made in the same database (the server shares the test's KSC_DATA_DIR).
        headers: { ...(await authHeaders()), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as T };
    },
    async kill() {
      child.kill('SIGKILL');
      await gone(child);
    },
    async stop() {
      child.kill('SIGTERM');
      await gone(child);
    },
    stderr: () => err,
  };
}
