/**
 * The throwaway `ksc-bench` dir pool, managed locally (this machine is the lab host):
 * define/build/start, fill with copies of one small qcow2, refresh, and tear down.
 * Nothing here touches the lab's own pools, volumes or VMs.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

export const POOL = 'ksc-bench';
export const POOL_DIR = '/var/lib/ksc-bench';
const URI = 'qemu:///system';
const TEMPLATE = '/var/tmp/ksc-bench-template.qcow2';

function virsh(...args: string[]): string {
  return execFileSync('virsh', ['-q', '-c', URI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function virshQuiet(...args: string[]): void {
  try {
    virsh(...args);
  } catch {
    /* not there: fine */
  }
}

export const volName = (i: number): string => `bench-${String(i).padStart(5, '0')}.qcow2`;

/** Remove a pool left over by an earlier, interrupted run (only ours: name and target checked). */
export function teardownPool(): void {
  let xml = '';
  try {
    xml = virsh('pool-dumpxml', POOL);
  } catch {
    /* no such pool */
  }
  if (xml && !xml.includes(`<path>${POOL_DIR}</path>`)) throw new Error(`a pool ${POOL} exists with another target: not touching it`);
  virshQuiet('pool-destroy', POOL);
  // pool-delete only removes an empty directory; the volumes are ours, so remove them first.
  if (existsSync(POOL_DIR)) rmSync(POOL_DIR, { recursive: true, force: true });
  virshQuiet('pool-undefine', POOL);
  rmSync(TEMPLATE, { force: true });
}

export function createPool(): void {
  teardownPool();
  virsh('pool-define-as', POOL, 'dir', '--target', POOL_DIR);
  virsh('pool-build', POOL);
  virsh('pool-start', POOL);
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', TEMPLATE, '64M']);
}

/** Grow the pool to `n` volumes (copies of the template), then refresh libvirt's view of it. */
export function fillPool(n: number): void {
  const have = new Set(readdirSync(POOL_DIR));
  for (let i = 1; i <= n; i++) {
    const name = volName(i);
    if (!have.has(name)) copyFileSync(TEMPLATE, path.join(POOL_DIR, name));
  }
  virsh('pool-refresh', POOL);
  const listed = virsh('vol-list', POOL).split('\n').filter((l) => l.includes(POOL_DIR)).length;
  if (listed !== n) throw new Error(`pool ${POOL} lists ${listed} volumes after refresh, expected ${n}`);
}
