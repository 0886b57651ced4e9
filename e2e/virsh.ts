import { execFileSync } from 'node:child_process';

/**
 * The truth, read from the lab host's system libvirt the way an admin would, so the specs
 * compare what the browser shows against virsh rather than against the console's own API.
 */
const URI = 'qemu:///system';

export function virsh(...args: string[]): string {
  return execFileSync('virsh', ['-c', URI, ...args], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
}

/** `Key:   value` lines of pool-info / vol-info. */
function fields(text: string): Map<string, string> {
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

/** Volume names from the `vol-list` table (names may contain spaces: the path is the last column). */
export function volumeNames(pool: string): string[] {
  return virsh('vol-list', pool)
    .split('\n')
    .slice(2)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => l.replace(/\s+\S+$/, ''));
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
  const names = virsh('list', '--all', '--name').split('\n').map((s) => s.trim()).filter(Boolean);
  return names.filter((d) =>
    virsh('domblklist', d)
      .split('\n')
      .slice(2)
      .some((l) => l.trim().split(/\s+/).slice(1).join(' ') === path),
  );
}

export function volumePath(pool: string, vol: string): string {
  return virsh('vol-path', '--pool', pool, vol).trim();
}

export function volumeFormat(pool: string, vol: string): string | null {
  return /<format type='([^']+)'/.exec(virsh('vol-dumpxml', '--pool', pool, vol).split('<backingStore>')[0] ?? '')?.[1] ?? null;
}
