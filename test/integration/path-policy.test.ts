import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachDisk } from '@/server/domains/disks';
import { createSnapshot } from '@/server/domains/snapshots';
import { createPool, deletePool } from '@/server/hosts/pool-service';
import { putPoolXml } from '@/server/hosts/pool-xml-service';
import { getHost } from '@/server/hosts/service';
import { invalidate } from '@/server/hosts/storage-cache';
import { waitForJob } from '@/server/jobs/jobs';
import { createVolume } from '@/server/volumes/create';
import { cloneVolume, convertVolume } from '@/server/volumes/job-operations';
import { commitVolume, compareVolumes, rebaseVolume } from '@/server/volumes/operations';
import { compareVmdk, convertVmdk } from '@/server/volumes/vmdk-migration';
import { sha256, setupEnv, sys } from '../helpers/volumes';

// The per-host path policy (server/policy/paths.ts) against the lab over real SSH: every path the
// console would hand to libvirt or qemu-img is resolved on the host and must lie inside the
// allowed roots / devices / pools; each refusal is a 422 `path-outside-policy` and leaves the
// host as it was (checksums of the files involved, pool and volume lists). Objects: pp-*.
const POOL = 'pp-pool';
const DIR = '/var/lib/libvirt/images/pp-pool';
const VM = 'pp-vm';
const LINK = '/var/lib/libvirt/images/pp-link-etc';
const OVERLAY = '/etc/pp-overlay.qcow2';
const PLANTED = '/etc/pp-planted';
const data = mkdtempSync(path.join(tmpdir(), 'pp-data-'));
const f = (n: string) => path.join(DIR, n);
const quiet = (fn: () => unknown) => {
  try {
    fn();
  } catch {
    /* not there */
  }
};
const pools = () => sys('pool-list', '--all', '--name').split('\n').map((s) => s.trim()).filter(Boolean).sort();
const vols = () => sys('vol-list', '--pool', POOL).split('\n').map((l) => l.trim().split(/\s+/)[0]).filter(Boolean).sort();
const files = () => readdirSync(DIR).sort();
const inactiveXml = () => sys('dumpxml', '--inactive', VM);

async function refused(p: Promise<unknown>) {
  const e = await p.then(
    (v) => {
      throw new Error(`expected a refusal, got ${JSON.stringify(v).slice(0, 300)}`);
    },
    (err: unknown) => err as { code: string; status: number; message: string; detail: { refused: Array<{ path: string; resolved: string }>; allowedRoots: string[] } },
  );
  return e;
}

function cleanup() {
  for (const d of sys('list', '--all', '--name').split('\n').map((s) => s.trim()).filter((n) => n.startsWith('pp-'))) {
    quiet(() => sys('destroy', d));
    quiet(() => sys('undefine', d, '--snapshots-metadata'));
  }
  for (const p of pools().filter((n) => n.startsWith('pp-'))) {
    quiet(() => sys('pool-destroy', p));
    quiet(() => sys('pool-undefine', p));
  }
  rmSync(DIR, { recursive: true, force: true });
  rmSync('/var/lib/libvirt/images/pp-ok', { recursive: true, force: true });
  rmSync(LINK, { force: true });
  rmSync(OVERLAY, { force: true });
  rmSync(PLANTED, { force: true });
}

let shadowSum = '';
let rootDisk = '';

beforeAll(() => {
  setupEnv(data);
  cleanup();
  mkdirSync(DIR, { recursive: true });
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', f('pp-disk.qcow2'), '16M']);
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', f('pp-data.qcow2'), '16M']);
  execFileSync('qemu-img', ['create', '-q', '-f', 'raw', f('pp-other.raw'), '1M']);
  // A qcow2 "uploaded" into the pool whose backing file is the host's /etc/shadow (-u: not opened at creation).
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-u', '-b', '/etc/shadow', '-F', 'raw', f('pp-evil.qcow2'), '1M']);
  // The same with a relative name that climbs out of the pool.
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-u', '-b', '../../../../../etc/shadow', '-F', 'raw', f('pp-evil-rel.qcow2'), '1M']);
  // A VMware monolithicFlat descriptor whose extent is /etc/shadow (libvirt lists it as raw).
  writeFileSync(f('pp-desc.vmdk'), '# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType="monolithicFlat"\n\n# Extent description\nRW 1 FLAT "/etc/shadow" 0\n\n# The Disk Data Base\nddb.adapterType = "lsilogic"\n');
  sys('pool-define-as', POOL, 'dir', '--target', DIR);
  sys('pool-start', POOL);
  symlinkSync('/etc', LINK);
  const vmXml = path.join(data, 'vm.xml');
  writeFileSync(
    vmXml,
    `<domain type='qemu'><name>${VM}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices>` +
      `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${f('pp-disk.qcow2')}'/><target dev='vda' bus='virtio'/></disk>` +
      `<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='hdc' bus='ide'/><readonly/></disk>` +
      `<memballoon model='none'/></devices></domain>`,
  );
  sys('define', vmXml);
  shadowSum = sha256('/etc/shadow');
  rootDisk = execFileSync('findmnt', ['-no', 'SOURCE', '/'], { encoding: 'utf8' }).trim();
  invalidate('lab');
}, 120_000);

afterAll(() => {
  cleanup();
  rmSync(data, { recursive: true, force: true });
});

describe('pool targets', () => {
  it('/root/.ssh and /etc are refused, with the path and the allowed roots; nothing is defined', async () => {
    const sshSum = existsSync('/root/.ssh') ? statSync('/root/.ssh').mtimeMs : null;
    for (const target of ['/root/.ssh', '/etc']) {
      const e = await refused(createPool('lab', { name: 'pp-bad', type: 'dir', target: { path: target }, build: false, start: true }));
      expect([e.status, e.code]).toEqual([422, 'path-outside-policy']);
      expect(e.message).toContain(target);
      expect(e.detail.allowedRoots).toContain('/var/lib/libvirt/images');
    }
    // The wizard's live preview (a dry run) says the same.
    await expect(createPool('lab', { name: 'pp-bad', type: 'dir', target: { path: '/etc' }, dryRun: true })).rejects.toMatchObject({ status: 422, code: 'path-outside-policy' });
    // Other suites may make and drop their own pools meanwhile: ours is what must not appear.
    expect(pools().filter((n) => n.startsWith('pp-'))).toEqual([POOL]);
    expect(existsSync('/root/.ssh') ? statSync('/root/.ssh').mtimeMs : null).toBe(sshSum);
  });

  it('a symlink inside an allowed root that points into /etc is judged by where it leads', async () => {
    const e = await refused(createPool('lab', { name: 'pp-bad', type: 'dir', target: { path: `${LINK}/ssh` }, build: false, start: true }));
    expect([e.status, e.code]).toEqual([422, 'path-outside-policy']);
    expect(e.message).toContain(`${LINK}/ssh`);
    expect(e.message).toContain('resolves to /etc/ssh');
    expect(e.detail.refused[0]).toMatchObject({ path: `${LINK}/ssh`, resolved: '/etc/ssh' });
    expect(pools().filter((n) => n.startsWith('pp-'))).toEqual([POOL]);
  });

  it('an edited pool XML cannot move the target to /etc', async () => {
    const xml = sys('pool-dumpxml', '--inactive', POOL).replace(`<path>${DIR}</path>`, '<path>/etc</path>');
    expect(xml).toContain('<path>/etc</path>');
    await expect(putPoolXml('lab', POOL, { xml, dryRun: true })).rejects.toMatchObject({ status: 422, code: 'path-outside-policy' });
    expect(sys('pool-dumpxml', '--inactive', POOL)).toContain(`<path>${DIR}</path>`);
  });

  it('still works: a dir pool inside /var/lib/libvirt/images', async () => {
    const r = await createPool('lab', { name: 'pp-ok', type: 'dir', target: { path: '/var/lib/libvirt/images/pp-ok' }, build: true, start: true });
    expect(r.dryRun).toBe(false);
    if (!r.dryRun) expect(r.steps.every((s) => s.ok)).toBe(true);
    expect(pools()).toContain('pp-ok');
    await deletePool('lab', 'pp-ok', { deleteStorage: true, confirm: 'pp-ok' });
    expect(pools()).not.toContain('pp-ok');
  }, 60_000);
});

describe('attach and media', () => {
  it('attaching /etc/shadow is refused; the VM is unchanged', async () => {
    const before = inactiveXml();
    const e = await refused(attachDisk('lab', VM, { source: { path: '/etc/shadow' }, bus: 'virtio', live: false, persistent: true }));
    expect([e.status, e.code]).toEqual([422, 'path-outside-policy']);
    expect(e.message).toContain('/etc/shadow');
    expect(inactiveXml()).toBe(before);
    expect(sha256('/etc/shadow')).toBe(shadowSum);
  });

  it('attaching the host’s own root disk is refused', async () => {
    expect(rootDisk).toMatch(/^\/dev\//);
    const before = inactiveXml();
    const e = await refused(attachDisk('lab', VM, { source: { path: rootDisk }, bus: 'virtio', live: false, persistent: true }));
    expect([e.status, e.code]).toEqual([422, 'path-outside-policy']);
    expect(e.message).toContain(rootDisk);
    expect(inactiveXml()).toBe(before);
  });

  it('a CD-ROM medium outside the roots is refused', async () => {
    const before = inactiveXml();
    const { changeMedia } = await import('@/server/domains/disks');
    await expect(changeMedia('lab', VM, 'hdc', { source: '/etc/shadow', live: false, persistent: true })).rejects.toMatchObject({ status: 422, code: 'path-outside-policy' });
    expect(inactiveXml()).toBe(before);
  });

  it('attaching a volume whose backing file is /etc/shadow is refused', async () => {
    const before = inactiveXml();
    await expect(attachDisk('lab', VM, { source: { pool: POOL, volume: 'pp-evil.qcow2' }, bus: 'virtio', live: false, persistent: true })).rejects.toMatchObject({ status: 422, code: 'path-outside-policy' });
    await expect(attachDisk('lab', VM, { source: { path: f('pp-evil.qcow2') }, bus: 'virtio', live: false, persistent: true })).rejects.toMatchObject({ status: 422, code: 'path-outside-policy' });
    expect(inactiveXml()).toBe(before);
  });

  it('still works: attaching a volume path inside a pool', async () => {
    const r = await attachDisk('lab', VM, { source: { path: f('pp-data.qcow2') }, bus: 'virtio', live: false, persistent: true });
    expect(r.ok).toBe(true);
    expect(inactiveXml()).toContain(f('pp-data.qcow2'));
  }, 60_000);
});

describe('external snapshot overlays', () => {
  it('an overlay file in /etc is refused; no file, no snapshot', async () => {
    const e = await refused(createSnapshot('lab', VM, { name: 'pp-s1', kind: 'external', disks: [{ target: 'vda', file: OVERLAY }, { target: 'vdb', exclude: true }] }));
    expect([e.status, e.code]).toEqual([422, 'path-outside-policy']);
    expect(e.message).toContain(OVERLAY);
    expect(existsSync(OVERLAY)).toBe(false);
    expect(sys('snapshot-list', '--name', VM).trim()).toBe('');
  }, 60_000);
});

describe('backing files and extents outside every pool', () => {
  const untouched = () => ({ shadow: sha256('/etc/shadow'), evil: sha256(f('pp-evil.qcow2')), files: files(), vols: vols() });

  it('convert, rebase (flatten), clone and create-on-top of a qcow2 backed by /etc/shadow are refused; nothing written', async () => {
    invalidate('lab');
    const before = untouched();
    for (const name of ['pp-evil.qcow2', 'pp-evil-rel.qcow2']) {
      const c = await refused(convertVolume('lab', POOL, name, { name: 'pp-out.raw', format: 'raw' }));
      expect([c.status, c.code]).toEqual([422, 'path-outside-policy']);
      expect(c.message).toContain('/etc/shadow');
    }
    await expect(rebaseVolume('lab', POOL, 'pp-evil.qcow2', { backing: null })).rejects.toMatchObject({ status: 422, code: 'path-outside-policy' });
    await expect(cloneVolume('lab', POOL, 'pp-evil.qcow2', { name: 'pp-clone.qcow2' })).rejects.toMatchObject({ status: 422, code: 'path-outside-policy' });
    await expect(createVolume('lab', POOL, { name: 'pp-top.qcow2', format: 'qcow2', backing: { pool: POOL, name: 'pp-evil.qcow2' } })).rejects.toMatchObject({
      status: 422,
      code: 'path-outside-policy',
    });
    await expect(commitVolume('lab', POOL, 'pp-evil.qcow2', { dryRun: true })).rejects.toMatchObject({ status: 422, code: 'path-outside-policy' });
    await expect(compareVolumes('lab', POOL, 'pp-evil.qcow2', { other: { pool: POOL, name: 'pp-data.qcow2' } })).rejects.toMatchObject({ status: 422, code: 'path-outside-policy' });
    expect(untouched()).toEqual(before);
  }, 60_000);

  it('a vmdk whose extent is /etc/shadow: compare (and convert) refused', async () => {
    invalidate('lab');
    const before = untouched();
    const e = await refused(compareVmdk('lab', POOL, 'pp-desc.vmdk', { other: { pool: POOL, name: 'pp-other.raw' } }));
    expect([e.status, e.code]).toEqual([422, 'path-outside-policy']);
    expect(e.message).toContain('/etc/shadow');
    // The migration's own inspection already blocks an extent outside the descriptor's directory.
    const c = await refused(convertVmdk('lab', POOL, 'pp-desc.vmdk', { name: 'pp-desc.qcow2', pool: POOL }));
    expect(['extent-outside', 'path-outside-policy']).toContain(c.code);
    expect(untouched()).toEqual(before);
  }, 60_000);

  it('a convert into a name that is a dangling symlink planted in the pool (pointing into /etc) is refused', async () => {
    symlinkSync(PLANTED, f('pp-planted.raw'));
    invalidate('lab');
    const e = await refused(convertVolume('lab', POOL, 'pp-disk.qcow2', { name: 'pp-planted.raw', format: 'raw' }));
    expect([e.status, e.code]).toEqual([422, 'path-outside-policy']);
    expect(e.message).toContain(`resolves to ${PLANTED}`);
    expect(existsSync(PLANTED)).toBe(false);
    rmSync(f('pp-planted.raw'), { force: true });
  }, 60_000);

  it('still works: converting and comparing an image whose chain stays in the pool', async () => {
    const r = await compareVolumes('lab', POOL, 'pp-disk.qcow2', { other: { pool: POOL, name: 'pp-data.qcow2' } });
    expect(r.identical).toBe(true);
    invalidate('lab');
    const c = await convertVolume('lab', POOL, 'pp-disk.qcow2', { name: 'pp-copy.raw', format: 'raw' });
    expect((await waitForJob(c.jobId!)).state).toBe('succeeded');
    expect(existsSync(f('pp-copy.raw'))).toBe(true);
  }, 60_000);
});

describe('the host DTO', () => {
  it('GET /api/hosts/{id} shows the path policy (roots and devices), no key material', async () => {
    const h = await getHost('lab');
    expect(h.pathPolicy?.allowedRoots).toEqual(expect.arrayContaining(['/var/lib/libvirt/images', DIR]));
    expect(h.pathPolicy?.allowedDevices).not.toContain(rootDisk);
    const text = JSON.stringify(h);
    expect(text).not.toMatch(/PRIVATE KEY|identity|id_ed25519/i);
  });
});
