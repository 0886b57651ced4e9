/**
 * Shared set-up for the volume suites: this helper's own dir pools under
 * /var/lib/libvirt/images/ksc-vol (a default root of the path policy) and a throwaway VM, all
 * named ksc-vol-*, cleaned at the start (leftovers of a crashed run) and end.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LAB_INVENTORY } from './lab';
import { quiet, virsh as sys } from './virsh';

export const ROOT = '/var/lib/libvirt/images/ksc-vol';
/** The tests' virsh (./virsh.ts), under the name these suites use. */
export { virsh as sys } from './virsh';
export const sh = (cmd: string) => execFileSync('sh', ['-c', cmd], { encoding: 'utf8', maxBuffer: 64 << 20 });

export function sha256(file: string): string {
  return sh(`sha256sum -- '${file}'`).split(' ')[0] ?? '';
}

export interface Info {
  format: string;
  'virtual-size': number;
  'actual-size'?: number;
  'cluster-size'?: number;
  'backing-filename'?: string;
  'backing-filename-format'?: string;
  'format-specific'?: { data?: { compat?: string; 'lazy-refcounts'?: boolean; 'compression-type'?: string } };
  snapshots?: Array<{ name: string }>;
}
export function info(file: string): Info {
  return JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', '--', file], { encoding: 'utf8' })) as Info;
}

/** qemu-io: write a byte pattern (the lab runs here, so tests can shape images directly). */
export function writePattern(file: string, fmt: string, pattern: number, offset: string, len: string) {
  execFileSync('qemu-io', ['-f', fmt, '-c', `write -P ${pattern} ${offset} ${len}`, file], { encoding: 'utf8' });
}
/** True when the range reads back as the pattern (qemu-io read -P fails otherwise). */
export function hasPattern(file: string, fmt: string, pattern: number, offset: string, len: string): boolean {
  const out = execFileSync('qemu-io', ['-r', '-U', '-f', fmt, '-c', `read -P ${pattern} ${offset} ${len}`, file], { encoding: 'utf8' });
  return !/Pattern verification failed/.test(out);
}

export function cleanLab(prefix = 'ksc-vol-') {
  const doms = sys('list', '--all', '--name').split('\n').map((s) => s.trim()).filter((n) => n.startsWith(prefix));
  for (const d of doms) {
    quiet('destroy', d);
    quiet('undefine', d, '--snapshots-metadata');
  }
  const pools = sys('pool-list', '--all', '--name').split('\n').map((s) => s.trim()).filter((n) => n.startsWith(prefix));
  for (const p of pools) {
    quiet('pool-destroy', p);
    quiet('pool-undefine', p);
    // Its directory (makePool's) too: ROOT lies inside the lab's `default` pool directory.
    rmSync(path.join(ROOT, p), { recursive: true, force: true });
  }
}

export function makePool(name: string): string {
  const dir = path.join(ROOT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  sys('pool-define-as', name, 'dir', '--target', dir);
  sys('pool-start', name);
  return dir;
}

/** A VM that boots nothing (TCG, SeaBIOS only) with one disk: enough to hold an image "in use". */
export function startVm(name: string, disk: string, fmt = 'qcow2') {
  const xml = `<domain type='qemu'><name>${name}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><boot dev='hd'/></os><features><acpi/></features>
  <devices><disk type='file' device='disk'><driver name='qemu' type='${fmt}'/><source file='${disk}'/><target dev='vda' bus='virtio'/></disk>
  <memballoon model='none'/><audio id='1' type='none'/></devices></domain>`;
  const f = path.join(tmpdir(), `${name}.xml`);
  writeFileSync(f, xml);
  sys('define', f);
  sys('start', name);
  rmSync(f);
}

export function setupEnv(dataDir: string) {
  process.env.KSC_INVENTORY = LAB_INVENTORY;
  process.env.KSC_DATA_DIR = dataDir;
}

export const exists = existsSync;
export const read = readFileSync;
