/**
 * Throwaway VMs for the domain tests, in their own dir pool `ksc-dom` under
 * /var/lib/libvirt/images/ksc-dom (a default root of the path policy): firmware-only guests like the lab's seed VMs (TCG, ACPI on, 128 MiB),
 * so the seeded vm001/vm002 stay untouched. Made with the local virsh (test setup, not
 * the code under test) and removed again, leftovers of a crashed run included.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tryVirsh, virsh as virshSys } from './virsh';

export const POOL = 'ksc-dom';
export const DIR = '/var/lib/libvirt/images/ksc-dom';
const env = { ...process.env, LC_ALL: 'C' };

export { virsh as virshSys, tryVirsh } from './virsh';
export const qemuImg = (...args: string[]): string => execFileSync('qemu-img', args, { encoding: 'utf8', env });
export const qemuIo = (file: string, cmd: string, fmt = 'qcow2'): string => execFileSync('qemu-io', ['-f', fmt, '-c', cmd, file], { encoding: 'utf8', env });
export const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

export function ensurePool(): void {
  mkdirSync(DIR, { recursive: true });
  if (tryVirsh('pool-info', POOL) === null) virshSys('pool-define-as', POOL, 'dir', '--target', DIR);
  if (!/State:\s+running/.test(virshSys('pool-info', POOL))) virshSys('pool-start', POOL);
}

export const refreshPool = () => virshSys('pool-refresh', POOL);

/** Remove a VM of ours with its snapshot metadata (never one without our prefix). */
export function removeVm(name: string): void {
  if (!name.startsWith(`${POOL}-`)) throw new Error(`refusing to remove ${name}: not a ${POOL}- VM`);
  if (tryVirsh('dominfo', name) === null) return;
  tryVirsh('destroy', name);
  for (const s of (tryVirsh('snapshot-list', '--name', name) ?? '').split('\n').map((x) => x.trim()).filter(Boolean)) tryVirsh('snapshot-delete', name, s, '--metadata');
  tryVirsh('undefine', name, '--snapshots-metadata');
}

/** Delete our files whose names start with `prefix` (and refresh the pool). */
export function removeFiles(prefix: string): void {
  if (!existsSync(DIR)) return;
  for (const f of readdirSync(DIR)) if (f.startsWith(prefix)) rmSync(path.join(DIR, f), { force: true });
  tryVirsh('pool-refresh', POOL);
}

export function createImage(name: string, size = '32M', fmt = 'qcow2', pattern?: number): string {
  const file = path.join(DIR, name);
  qemuImg('create', '-q', '-f', fmt, file, size);
  if (pattern !== undefined) qemuIo(file, `write -q -P ${pattern} 0 1M`, fmt);
  return file;
}

export function diskXml(file: string, target: string, fmt = 'qcow2', bus = 'virtio'): string {
  return `<disk type='file' device='disk'><driver name='qemu' type='${fmt}'/><source file='${file}'/><target dev='${target}' bus='${bus}'/></disk>`;
}

/** Define (and optionally start) a firmware-only TCG VM with the given disks, like lab/steps/seed-system.sh. */
export function defineVm(name: string, disks: string[], opts: { start?: boolean; acpi?: boolean } = {}): void {
  removeVm(name);
  const xml = `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  ${opts.acpi === false ? '' : '<features><acpi/></features>'}
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    ${disks.join('\n    ')}
    <controller type='scsi' model='virtio-scsi'/>
    <memballoon model='none'/>
  </devices>
</domain>`;
  const f = path.join(tmpdir(), `${name}.xml`);
  writeFileSync(f, xml);
  virshSys('define', f);
  rmSync(f);
  if (opts.start) virshSys('start', name);
}

/** `domblklist --details` rows: [type, device, target, source]. */
export function domblklist(vm: string, inactive = false): string[][] {
  return virshSys('domblklist', '--details', ...(inactive ? ['--inactive'] : []), vm)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => l.split(/\s+/));
}

export const targets = (vm: string, inactive = false) => domblklist(vm, inactive).map((r) => r[2]);

export const snapshotNames = (vm: string) => virshSys('snapshot-list', '--name', vm).split('\n').map((s) => s.trim()).filter(Boolean);
