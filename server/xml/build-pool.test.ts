import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PoolCreateInput } from '@/lib/schemas';
import { buildPoolXml } from './build-pool';
import { parsePoolXml } from './pool';

// Every type's XML is checked by libvirt's own schema (virt-xml-validate from libvirt-clients,
// which needs xmllint from libxml2-utils) and read back by the project's parser.
const dir = mkdtempSync(path.join(tmpdir(), 'ksc-poolxml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function validate(xml: string): void {
  const file = path.join(dir, `p-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, xml);
  execFileSync('virt-xml-validate', [file, 'storagepool'], { stdio: 'pipe' });
}

const cases: Array<[string, unknown]> = [
  ['dir', { name: 'guest_images_dir', type: 'dir', target: { path: '/guest_images', permissions: { mode: '0700', owner: '0', group: '0' } } }],
  ['fs', { name: 'guest_images_fs', type: 'fs', source: { device: '/dev/sdc1', format: 'ext4' }, target: { path: '/guest_images2' } }],
  ['netfs', { name: 'nfs1', type: 'netfs', source: { host: 'nfs.example.com', dir: '/nfsshare', format: 'nfs', protocolVersion: '4' }, target: { path: '/mnt/nfs' } }],
  ['logical', { name: 'guest_images_lvm', type: 'logical', source: { devices: ['/dev/sdc', '/dev/sdd'], name: 'libvirt_lvm' } }],
  ['disk', { name: 'disk1', type: 'disk', source: { device: '/dev/sdb', format: 'gpt' } }],
  ['iscsi', { name: 'iscsi1', type: 'iscsi', source: { host: '192.0.2.10', port: 3260, device: 'iqn.2026-11.com.example:storage', initiator: 'iqn.2026-11.com.example:client', auth: { type: 'chap', username: 'admin', secretUsage: 'ksc-iscsi1' } } }],
  ['iscsi-direct', { name: 'storage01', type: 'iscsi-direct', source: { host: '127.0.0.1', device: 'iqn.2026-11.lab.ksc:storage01', initiator: 'iqn.2026-11.lab.ksc:console' } }],
  ['scsi', { name: 'scsi1', type: 'scsi', source: { adapter: 'host0' } }],
  ['mpath', { name: 'mpath1', type: 'mpath' }],
  ['gluster', { name: 'gl1', type: 'gluster', source: { host: 'gl.example.com', dir: '/', name: 'gv0' } }],
  ['rbd', { name: 'rbd1', type: 'rbd', source: { name: 'rbdpool', host: 'mon1.example.com', port: 6789, auth: { type: 'ceph', username: 'libvirt', secretUsage: 'ceph-client' } } }],
  ['zfs', { name: 'zfs1', type: 'zfs', source: { name: 'tank', device: '/dev/sdx' } }],
];

describe('buildPoolXml', () => {
  it.each(cases)('%s: validates against libvirt’s schema and parses back', (_type, raw) => {
    const input = PoolCreateInput.parse(raw);
    const xml = buildPoolXml(input);
    validate(xml);
    const back = parsePoolXml(`${xml.trim().replace(/<name>/, '<uuid>00000000-0000-0000-0000-000000000000</uuid><name>')}`);
    expect(back.type).toBe(input.type);
    expect(back.name).toBe(input.name);
    if (input.source.host) expect(back.source.host).toBe(input.source.host);
    if (input.source.device) expect(back.source.devices).toContain(input.source.device);
    if (input.target.path) expect(back.target.path).toBe(input.target.path);
  });

  it('escapes hostile values so they stay values', () => {
    const input = PoolCreateInput.parse({ name: `a'b"<c>&d; x #`, type: 'dir', target: { path: `/tmp/'<&>"` } });
    const xml = buildPoolXml(input);
    validate(xml);
    const back = parsePoolXml(xml.replace(/<name>/, '<uuid>00000000-0000-0000-0000-000000000000</uuid><name>'));
    expect(back.name).toBe(`a'b"<c>&d; x #`);
    expect(back.target.path).toBe(`/tmp/'<&>"`);
  });

  it('rejects names libvirt or the console cannot use', () => {
    for (const name of ['', 'a/b', 'x\ny', '..', ' lead'])
      expect(PoolCreateInput.safeParse({ name, type: 'dir' }).success, JSON.stringify(name)).toBe(false);
  });
});
