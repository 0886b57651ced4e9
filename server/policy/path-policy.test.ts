import { describe, expect, it } from 'vitest';
import { DEFAULT_ROOTS, freeDevices, policyFromStorage } from './host-policy';
import { checkResolved, isInsideRoot, normalizePath, type PathRequest } from './path-match';
import { poolPathRequests, referencedFiles } from './require-paths';

describe('isInsideRoot', () => {
  it('matches by prefix up to a / boundary', () => {
    expect(isInsideRoot('/var/lib/libvirt/images', '/var/lib/libvirt/images/a.qcow2')).toBe(true);
    expect(isInsideRoot('/var/lib/libvirt/images/', '/var/lib/libvirt/images/sub/a')).toBe(true);
    expect(isInsideRoot('/var/lib/libvirt/images', '/var/lib/libvirt/images')).toBe(true);
    expect(isInsideRoot('/var/lib/libvirt/images', '/var/lib/libvirt/images2')).toBe(false);
    expect(isInsideRoot('/var/lib/libvirt/images', '/var/lib/libvirt/images2/a')).toBe(false);
    expect(isInsideRoot('/var/lib/libvirt/images', '/var/lib/libvirt')).toBe(false);
  });
  it('never takes / as a root, / as a path, or a path with ..', () => {
    expect(isInsideRoot('/', '/etc/shadow')).toBe(false);
    expect(isInsideRoot('//', '/etc/shadow')).toBe(false);
    expect(isInsideRoot('/var/lib/libvirt/images', '/')).toBe(false);
    expect(isInsideRoot('/var/lib/libvirt/images', '/var/lib/libvirt/images/../../../etc/shadow')).toBe(false);
    expect(isInsideRoot('/var/lib/libvirt/images', '/var/lib/libvirt/images/..')).toBe(false);
    expect(isInsideRoot('/var/lib/libvirt/images', 'var/lib/libvirt/images/a')).toBe(false);
  });
  it('normalises doubled slashes and dots', () => {
    expect(normalizePath('/var//lib/./libvirt/images/')).toBe('/var/lib/libvirt/images');
    expect(normalizePath('relative')).toBeNull();
    expect(isInsideRoot('/var/lib/libvirt/images', '/var//lib/libvirt/images/./a')).toBe(true);
  });
});

describe('checkResolved', () => {
  const policy = { allowedRoots: ['/var/lib/libvirt/images', '/srv/pool'], allowedDevices: ['/dev/vdb'], poolDirs: ['/srv/pool'], poolVolumes: ['/dev/vg0/lv1'] };
  const res = (pairs: Record<string, string>) => new Map(Object.entries(pairs));

  it('judges the resolved path, not the one asked for (a symlink into /etc)', () => {
    const reqs: PathRequest[] = [{ path: '/var/lib/libvirt/images/link', kind: 'pool-target', allow: { devices: false } }];
    expect(checkResolved(policy, reqs, res({ '/var/lib/libvirt/images/link': '/etc' }))).toEqual([{ path: '/var/lib/libvirt/images/link', resolved: '/etc', kind: 'pool-target' }]);
    expect(checkResolved(policy, reqs, res({ '/var/lib/libvirt/images/link': '/var/lib/libvirt/images/real' }))).toEqual([]);
  });
  it('resolves the roots too (a root that is itself a symlink)', () => {
    const p = { ...policy, allowedRoots: ['/images'] };
    const reqs: PathRequest[] = [{ path: '/images/a', kind: 'attach' }];
    expect(checkResolved(p, reqs, res({ '/images': '/data/images', '/images/a': '/data/images/a' }))).toEqual([]);
  });
  it('devices only where allowed, and only the allowed ones', () => {
    const attach: PathRequest = { path: '/dev/vda', kind: 'attach', allow: { roots: true, devices: true, poolVolumes: true } };
    expect(checkResolved(policy, [attach], res({ '/dev/vda': '/dev/vda' }))).toHaveLength(1);
    expect(checkResolved(policy, [{ ...attach, path: '/dev/vdb' }], res({ '/dev/vdb': '/dev/vdb' }))).toEqual([]);
    expect(checkResolved(policy, [{ ...attach, path: '/dev/vg0/lv1' }], res({ '/dev/vg0/lv1': '/dev/dm-1' }))).toEqual([]);
    const target: PathRequest = { path: '/dev/vdb', kind: 'pool-target', allow: { roots: true, devices: false } };
    expect(checkResolved(policy, [target], res({ '/dev/vdb': '/dev/vdb' }))).toHaveLength(1);
  });
  it('an unresolved path, / and .. are outside', () => {
    expect(checkResolved(policy, [{ path: '/x', kind: 'attach' }], res({}))).toHaveLength(1);
    expect(checkResolved(policy, [{ path: '/x', kind: 'attach' }], res({ '/x': '/' }))).toHaveLength(1);
    expect(checkResolved(policy, [{ path: '/x', kind: 'attach' }], res({ '/x': '/var/lib/libvirt/images/../x' }))).toHaveLength(1);
  });
  it('backing files: inside a pool directory or a pool volume, never merely under a root', () => {
    const allow = { roots: false, devices: false, poolDirs: true, poolVolumes: true };
    const ok = (p: string) => checkResolved(policy, [{ path: p, kind: 'backing', allow }], res({ [p]: p })).length === 0;
    expect(ok('/srv/pool/base.qcow2')).toBe(true);
    expect(ok('/dev/vg0/lv1')).toBe(true);
    expect(ok('/var/lib/libvirt/images/x')).toBe(false); // a root, but no pool there
    expect(ok('/etc/shadow')).toBe(false);
  });
});

describe('poolPathRequests', () => {
  it('a file pool target under the roots; device sources among the devices (or the pool’s own)', () => {
    expect(poolPathRequests({ type: 'dir', targetPath: '/root/.ssh', devices: [] })).toEqual([{ path: '/root/.ssh', kind: 'pool-target', allow: { roots: true, devices: false } }]);
    const fs = poolPathRequests({ type: 'fs', targetPath: '/var/lib/libvirt/fs/a', devices: ['/dev/loop3'] }, ['/dev/loop3']);
    expect(fs[1]).toEqual({ path: '/dev/loop3', kind: 'pool-source', allow: { roots: false, devices: true, also: ['/dev/loop3'] } });
    expect(poolPathRequests({ type: 'logical', targetPath: '/dev/vg', devices: ['/dev/vdb'] })[0]).toMatchObject({ allow: { under: ['/dev'] } });
    // iscsi's <device path> is an IQN, netfs's dir is on the server: neither is a local path.
    expect(poolPathRequests({ type: 'iscsi-direct', targetPath: null, devices: ['iqn.2026-11.x:y'] })).toEqual([]);
    expect(poolPathRequests({ type: 'netfs', targetPath: '/var/lib/libvirt/netfs/n', devices: [] })).toHaveLength(1);
  });
});

describe('freeDevices', () => {
  const tree = [
    { name: '/dev/vda', type: 'disk', size: 100, mountpoint: null, children: [{ name: '/dev/vda1', type: 'part', size: 90, mountpoint: '/' }] },
    { name: '/dev/vdb', type: 'disk', size: 100, mountpoint: null },
    { name: '/dev/vdc', type: 'disk', size: 100, fstype: 'LVM2_member', children: [{ name: '/dev/mapper/vg-lv', type: 'lvm', size: 50 }] },
    { name: '/dev/vdd', type: 'disk', size: 100, children: [{ name: '/dev/vdd1', type: 'part', size: 50 }, { name: '/dev/vdd2', type: 'part', size: 50, mountpoint: '[SWAP]' }] },
    { name: '/dev/loop0', type: 'loop', size: 100 },
    { name: '/dev/loop1', type: 'loop', size: 100 },
    { name: '/dev/zram0', type: 'disk', size: 0 },
    { name: '/dev/sr0', type: 'rom', size: 100 },
  ];
  it('leaves out the mounted, their parents and children, PVs, the busy, the empty and ROMs', () => {
    expect(freeDevices(tree, new Set(['/dev/loop1']))).toEqual(['/dev/vdb', '/dev/vdd1', '/dev/loop0']);
  });
  it('the root filesystem’s source counts as busy even when lsblk shows no mount (a container)', () => {
    expect(freeDevices([{ name: '/dev/vda', type: 'disk', size: 1 }], new Set(['/dev/vda']))).toEqual([]);
  });
});

describe('referencedFiles', () => {
  it('every level of a backing chain, relative names made absolute', () => {
    const chain = JSON.stringify([
      { filename: '/p/top.qcow2', format: 'qcow2', 'backing-filename': 'mid.qcow2', 'full-backing-filename': '/p/mid.qcow2' },
      { filename: '/p/mid.qcow2', format: 'qcow2', 'backing-filename': '../../etc/shadow' },
      { filename: '/etc/shadow', format: 'raw' },
    ]);
    expect(referencedFiles(chain).map((r) => r.path)).toEqual(['/p/mid.qcow2', '/p/mid.qcow2', '/etc/shadow', '/etc/shadow']);
  });
  it('a single image (no chain) and vmdk extents', () => {
    expect(referencedFiles(JSON.stringify({ filename: '/p/a.qcow2', 'backing-filename': '/etc/shadow' }))).toEqual([{ path: '/etc/shadow', kind: 'backing', of: '/p/a.qcow2' }]);
    const vmdk = { filename: '/p/d.vmdk', format: 'vmdk', 'format-specific': { type: 'vmdk', data: { extents: [{ filename: '/etc/shadow', format: 'FLAT' }, { filename: 'd-flat.vmdk' }] } } };
    expect(referencedFiles(JSON.stringify(vmdk))).toEqual([
      { path: '/etc/shadow', kind: 'extent', of: '/p/d.vmdk' },
      { path: '/p/d-flat.vmdk', kind: 'extent', of: '/p/d.vmdk' },
    ]);
  });
  it('a protocol backing (json:, nbd:) stays as it is, and is then refused as not absolute', () => {
    expect(referencedFiles(JSON.stringify({ filename: '/p/a', 'full-backing-filename': 'json:{"file":{"filename":"/etc/shadow"}}' }))[0]!.path).toMatch(/^json:/);
  });
});

describe('policyFromStorage', () => {
  it('default roots plus file pools’ targets; / is never one; device volumes listed, file volumes covered by their pool', () => {
    const pools = [
      { type: 'dir', target: { path: '/srv/pool/' }, source: { devices: [] } },
      { type: 'dir', target: { path: '/' }, source: { devices: [] } },
      { type: 'logical', target: { path: '/dev/vg0' }, source: { devices: ['/dev/vdc'] } },
    ];
    const volumes = new Map([
      ['a', [{ path: '/srv/pool/x.qcow2' }]],
      ['b', [{ path: '/dev/vg0/lv1' }]],
    ]);
    const domains = [{ disks: [{ type: 'block', source: '/dev/vde' }, { type: 'file', source: '/srv/pool/x.qcow2' }] }];
    const p = policyFromStorage({ id: 'h' }, { pools, volumes, domains } as never);
    expect(p.allowedRoots).toEqual([...DEFAULT_ROOTS, '/srv/pool']);
    expect(p.poolDirs).toEqual(['/srv/pool']);
    expect(p.poolVolumes).toEqual(['/dev/vg0/lv1']);
    expect([...p.busy]).toEqual(['/dev/vdc', '/dev/vde']);
    expect(policyFromStorage({ id: 'h', allowedRoots: ['/data/vm'] }, { pools: [], volumes: new Map(), domains: [] } as never).allowedRoots).toEqual(['/data/vm']);
  });
});

describe('refusalError', () => {
  it('422 path-outside-policy naming the path, what it resolved to and what is allowed', async () => {
    const { refusalError } = await import('./require-paths');
    const e = refusalError('lab', { allowedRoots: ['/var/lib/libvirt/images'], allowedDevices: ['/dev/vdb'], poolDirs: ['/p'] }, [{ path: '/var/lib/libvirt/images/l', resolved: '/etc', kind: 'pool-target' }]);
    expect([e.status, e.code]).toEqual([422, 'path-outside-policy']);
    expect(e.message).toBe('The pool target /var/lib/libvirt/images/l resolves to /etc, which is not inside the path policy of lab — allowed roots: /var/lib/libvirt/images');
    expect(e.detail).toEqual({ refused: [{ path: '/var/lib/libvirt/images/l', resolved: '/etc', kind: 'pool-target' }], allowedRoots: ['/var/lib/libvirt/images'], allowedDevices: ['/dev/vdb'] });
    const b = refusalError('lab', { allowedRoots: [], allowedDevices: [], poolDirs: ['/p'], devicesKnown: false }, [{ path: '/etc/shadow', resolved: '/etc/shadow', kind: 'backing' }]);
    expect(b.message).toContain('is not inside a pool of lab — pool directories: /p');
    expect(b.detail).not.toHaveProperty('allowedDevices');
  });
});

describe('poolPathRequests follows the pool-type table', () => {
  it('vstorage (a mounted file pool) is checked against the roots; zfs devices against the devices; rbd has no paths', () => {
    expect(poolPathRequests({ type: 'vstorage', targetPath: '/mnt/vz', devices: [] })).toEqual([{ path: '/mnt/vz', kind: 'pool-target', allow: { roots: true, devices: false } }]);
    expect(poolPathRequests({ type: 'zfs', targetPath: null, devices: ['/dev/vdb'] })).toEqual([{ path: '/dev/vdb', kind: 'pool-source', allow: { roots: false, devices: true, also: [] } }]);
    expect(poolPathRequests({ type: 'rbd', targetPath: null, devices: [] })).toEqual([]);
    expect(poolPathRequests({ type: 'constructor', targetPath: '/etc', devices: ['/dev/sda'] })).toEqual([]);
  });
});
