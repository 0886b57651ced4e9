/**
 * The ONE virsh of the tests (vitest suites and Playwright specs): `virsh -q -c qemu:///system …`
 * on this machine — the lab host's system libvirt, read or shaped the way an admin would, not
 * through the console's code. Always `LC_ALL=C`, so the texts the tests parse (pool-info's
 * `State:`, vol-list columns, error messages) are the same whatever the caller's locale; always
 * `-q`, so no table headers and no "Pool x destroyed" chatter. stderr is captured (not printed)
 * and is part of the error a failing call throws.
 *
 * Besides the plain calls: the truth readers the browse specs compare the UI against.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

export const URI = 'qemu:///system';
const env = () => ({ ...process.env, LC_ALL: 'C' });
const argv = (args: string[]) => ['-q', '-c', URI, ...args];

/** `virsh -q -c qemu:///system ARGS…` (LC_ALL=C); stdout; throws with virsh's stderr on failure. */
export function virsh(...args: string[]): string {
  return execFileSync('virsh', argv(args), { encoding: 'utf8', env: env(), stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

/** `virsh` with a document on stdin (e.g. `define /dev/stdin`). */
export function virshInput(input: string, ...args: string[]): string {
  return execFileSync('virsh', argv(args), { encoding: 'utf8', env: env(), input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

const run = promisify(execFile);

/** The same, without blocking the event loop (for suites that talk to a server in-process). */
export async function virshAsync(...args: string[]): Promise<string> {
  const { stdout } = await run('virsh', argv(args), { encoding: 'utf8', env: env(), maxBuffer: 64 << 20 });
  return stdout;
}

/** `virsh`, or null when it fails (the object is not there). */
export function tryVirsh(...args: string[]): string | null {
  try {
    return virsh(...args);
  } catch {
    return null;
  }
}

/** `virsh` for a clean-up step that may find nothing to clean: failures are ignored. */
export function quiet(...args: string[]): void {
  tryVirsh(...args);
}

/** Non-empty trimmed lines of a virsh output (`--name` lists, `-q` tables). */
export const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** `Key:   value` lines of pool-info / vol-info / dominfo. */
export function fields(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) m.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return m;
}

const bytes = (v: string | undefined) => {
  const n = Number.parseInt(v ?? '', 10);
  if (!Number.isFinite(n)) throw new Error(`not a byte count: ${v}`);
  return n;
};

export function poolInfo(pool: string) {
  const f = fields(virsh('pool-info', pool, '--bytes'));
  return { capacity: bytes(f.get('Capacity')), allocation: bytes(f.get('Allocation')), state: f.get('State') };
}

/** Every pool's name, defined or running. */
export const poolNames = (): string[] => lines(virsh('pool-list', '--all', '--name'));

/** Volume names from the `vol-list` table (names may contain spaces: the path is the last column). */
export function volumeNames(pool: string): string[] {
  return lines(virsh('vol-list', pool)).map((l) => l.replace(/\s+\S+$/, ''));
}

export function volumeInfo(pool: string, vol: string) {
  const f = fields(virsh('vol-info', '--pool', pool, vol, '--bytes'));
  return { capacity: bytes(f.get('Capacity')), allocation: bytes(f.get('Allocation')) };
}

export function backingPath(pool: string, vol: string): string | null {
  const xml = virsh('vol-dumpxml', '--pool', pool, vol);
  return /<backingStore>\s*<path>([^<]+)<\/path>/.exec(xml)?.[1] ?? null;
}

/** VM names whose disks point at `path` (domblklist of every defined domain). */
export function vmsUsing(path: string): string[] {
  return lines(virsh('list', '--all', '--name')).filter((d) => lines(virsh('domblklist', d)).some((l) => l.split(/\s+/).slice(1).join(' ') === path));
}

export function volumePath(pool: string, vol: string): string {
  return virsh('vol-path', '--pool', pool, vol).trim();
}

export function volumeFormat(pool: string, vol: string): string | null {
  return /<format type='([^']+)'/.exec(virsh('vol-dumpxml', '--pool', pool, vol).split('<backingStore>')[0] ?? '')?.[1] ?? null;
}
