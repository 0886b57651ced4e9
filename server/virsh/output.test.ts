import { describe, expect, it } from 'vitest';
import { parseKeyValues, parseList, parseVersion, parseVolList } from './output';

/** Lay out a vol-list table the way virsh 9 does: one leading space, columns padded, 3 spaces between. */
function volTable(rows: Array<[string, string]>): string {
  const w = Math.max(4, ...rows.map(([n]) => n.length));
  const head = ` ${'Name'.padEnd(w)}   Path`;
  const width = Math.max(head.length, ...rows.map(([, p]) => 1 + w + 3 + p.length)) + 1;
  return [head, '-'.repeat(width), ...rows.map(([n, p]) => ` ${n.padEnd(w)}   ${p}`), ''].join('\n') + '\n';
}

describe('parseVolList', () => {
  it('reads the lab pool vm', () => {
    const text = ` Name                  Path
----------------------------------------------------
 base-centos7.qcow2    /kvm-vm/base-centos7.qcow2
 centos7-vm001.qcow2   /kvm-vm/centos7-vm001.qcow2
 oa-disk0.qcow2        /kvm-vm/oa-disk0.qcow2
 vm003.qcow2           /kvm-vm/vm003.qcow2
 vmtest01.img          /kvm-vm/vmtest01.img

`;
    expect(parseVolList(text)).toEqual([
      { name: 'base-centos7.qcow2', path: '/kvm-vm/base-centos7.qcow2' },
      { name: 'centos7-vm001.qcow2', path: '/kvm-vm/centos7-vm001.qcow2' },
      { name: 'oa-disk0.qcow2', path: '/kvm-vm/oa-disk0.qcow2' },
      { name: 'vm003.qcow2', path: '/kvm-vm/vm003.qcow2' },
      { name: 'vmtest01.img', path: '/kvm-vm/vmtest01.img' },
    ]);
  });

  it('reads iscsi-direct rows (paths that are no file and do not end in the name)', () => {
    const text = ` Name         Path
---------------------------------------------------------------------------
 unit:0:0:0   ip-127.0.0.1:3260-iscsi-iqn.2026-11.lab.ksc:storage01-lun-0
 unit:0:0:1   ip-127.0.0.1:3260-iscsi-iqn.2026-11.lab.ksc:storage01-lun-1
 unit:0:0:2   ip-127.0.0.1:3260-iscsi-iqn.2026-11.lab.ksc:storage01-lun-2

`;
    expect(parseVolList(text)).toEqual([0, 1, 2].map((n) => ({ name: `unit:0:0:${n}`, path: `ip-127.0.0.1:3260-iscsi-iqn.2026-11.lab.ksc:storage01-lun-${n}` })));
  });

  it('reads names with spaces, including runs of three or more', () => {
    const rows: Array<[string, string]> = [
      ['my disk.qcow2', '/data/my disk.qcow2'],
      ['a   b.img', '/data/a   b.img'],
      ['x    y   z', '/data/x    y   z'],
      ['plain.raw', '/data/plain.raw'],
      ['lost+found', '/guest_images2/lost+found'],
    ];
    expect(parseVolList(volTable(rows))).toEqual(rows.map(([name, path]) => ({ name, path })));
  });

  it('reads the lab fs pool (a dir volume among files)', () => {
    const text = ` Name           Path
---------------------------------------------
 data01.qcow2   /guest_images2/data01.qcow2
 lost+found     /guest_images2/lost+found

`;
    expect(parseVolList(text)).toEqual([
      { name: 'data01.qcow2', path: '/guest_images2/data01.qcow2' },
      { name: 'lost+found', path: '/guest_images2/lost+found' },
    ]);
  });

  it('reads an empty pool and text that is no table', () => {
    expect(parseVolList(' Name   Path\n--------------\n\n')).toEqual([]);
    expect(parseVolList('')).toEqual([]);
    expect(parseVolList("error: failed to get pool 'x'\n")).toEqual([]);
  });

  it('reads unicode names and long tables', () => {
    const rows: Array<[string, string]> = Array.from({ length: 300 }, (_, i) => {
      const name = i % 7 === 0 ? `vol ${i} ü😀.img` : `vol-${String(i).padStart(3, '0')}.qcow2`;
      return [name, `/tmp/pool/${name}`];
    });
    expect(parseVolList(volTable(rows))).toEqual(rows.map(([name, path]) => ({ name, path })));
  });

  // Regression: a name ending in a space (a legal file name, seen in the lab as
  // ` tr                 /tmp/p/tr `) must not come back as `tr`: its own trailing spaces merge
  // into the column padding, and the volume would be looked up under the wrong name.
  it('keeps trailing spaces of a name', () => {
    expect(parseVolList(volTable([['tr ', '/p/tr ']]))).toEqual([{ name: 'tr ', path: '/p/tr ' }]);
  });

  it('keeps leading spaces of a name (only the table indent is removed)', () => {
    expect(parseVolList(volTable([[' lead.img', '/p/ lead.img']]))).toEqual([{ name: ' lead.img', path: '/p/ lead.img' }]);
  });
});

describe('parseKeyValues / parseList / parseVersion', () => {
  it('reads pool-info --bytes', () => {
    const kv = parseKeyValues(`Name:           vm
UUID:           3f804e01-c095-43f8-8af6-19ea38ac8c01
State:          running
Persistent:     yes
Autostart:      yes
Capacity:       270553174016
Allocation:     24788103168
Available:      245765070848
`);
    expect(Object.fromEntries(kv)).toEqual({
      Name: 'vm',
      UUID: '3f804e01-c095-43f8-8af6-19ea38ac8c01',
      State: 'running',
      Persistent: 'yes',
      Autostart: 'yes',
      Capacity: '270553174016',
      Allocation: '24788103168',
      Available: '245765070848',
    });
  });

  it('splits on the first colon only', () => {
    expect(parseKeyValues('Security label: system_u:object_r:svirt_t:s0').get('Security label')).toBe('system_u:object_r:svirt_t:s0');
  });

  it('reads --uuid listings', () => {
    expect(parseList('\n 7a307f80-82d7-4424-a2dd-ee77543dde2c \n\n3f804e01-c095-43f8-8af6-19ea38ac8c01\n\n')).toEqual([
      '7a307f80-82d7-4424-a2dd-ee77543dde2c',
      '3f804e01-c095-43f8-8af6-19ea38ac8c01',
    ]);
  });

  it('reads virsh version', () => {
    expect(
      parseVersion(`Compiled against library: libvirt 9.0.0
Using library: libvirt 9.0.0
Using API: QEMU 9.0.0
Running hypervisor: QEMU 7.2.0
`),
    ).toEqual({ libvirtVersion: '9.0.0', qemuVersion: '7.2.0' });
    expect(parseVersion('')).toEqual({ libvirtVersion: null, qemuVersion: null });
  });
});
