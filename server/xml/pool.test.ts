import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PoolSource } from '@/lib/schemas';
import { XmlParseError } from './parse';
import { parsePoolXml } from './pool';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/lab/${name}`, import.meta.url), 'utf8');

describe('parsePoolXml on the lab', () => {
  it('reads the dir pool vm', () => {
    const pool = parsePoolXml(fixture('pool-vm.xml'));
    expect(pool).toMatchObject({
      type: 'dir',
      name: 'vm',
      uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      target: { path: '/kvm-vm', permissions: { mode: '0711', owner: '0', group: '0' } },
    });
    // An empty <source> still gives the schema's arrays, and nothing else.
    expect(pool.source).toEqual({ hosts: [], devices: [] });
    expect(pool.capacity).toBe(pool.allocation + pool.available);
    expect(Number.isSafeInteger(pool.capacity)).toBe(true);
  });

  it('reads the iscsi-direct pool storage01 (no <target> at all)', () => {
    const pool = parsePoolXml(fixture('pool-storage01.xml'));
    expect(pool.type).toBe('iscsi-direct');
    expect(pool.source).toEqual({
      host: '127.0.0.1',
      hosts: [{ name: '127.0.0.1' }],
      device: 'iqn.2026-11.lab.ksc:storage01',
      devices: ['iqn.2026-11.lab.ksc:storage01'],
      initiator: 'iqn.2026-11.lab.ksc:console',
    });
    expect(pool.target).toEqual({});
    expect(pool.available).toBe(0);
    expect(pool.capacity).toBe(201325568); // 64 MiB + 128 MiB LUNs, less a sector each
  });

  it('reads the fs pool on a loop device', () => {
    const pool = parsePoolXml(fixture('pool-guest_images_fs.xml'));
    expect(pool.type).toBe('fs');
    expect(pool.source.device).toMatch(/^\/dev\/loop\d+$/);
    expect(pool.source.format).toBe('auto');
    expect(pool.target.path).toBe('/guest_images2');
  });

  it('reads the session pool and the default pool', () => {
    expect(parsePoolXml(fixture('pool-session-images.xml')).target).toEqual({
      path: '/home/kscuser/images',
      permissions: { mode: '0755', owner: '1001', group: '1001' },
    });
    expect(parsePoolXml(fixture('pool-default.xml')).target.path).toBe('/var/lib/libvirt/images');
  });

  it('gives sources the shared zod schema accepts', () => {
    for (const f of ['pool-vm.xml', 'pool-storage01.xml', 'pool-guest_images_fs.xml', 'pool-default.xml']) {
      const { source } = parsePoolXml(fixture(f));
      expect(PoolSource.parse(source)).toEqual(source);
    }
  });
});

const pool = (source: string, extra = '') =>
  `<pool type='x'><name>p</name><uuid>u</uuid>${extra}<source>${source}</source></pool>`;

describe('parsePoolXml on every <source> child', () => {
  it('netfs: host, dir, format, protocol version', () => {
    const { source } = parsePoolXml(
      pool("<host name='nfs.example' port='2049'/><dir path='/export/vm'/><format type='nfs'/><protocol ver='4'/>"),
    );
    expect(source).toEqual({
      host: 'nfs.example', port: 2049, hosts: [{ name: 'nfs.example', port: 2049 }],
      dir: '/export/vm', format: 'nfs', protocolVersion: '4', devices: [],
    });
  });

  it('rbd: several hosts, pool name, ceph auth by secret usage', () => {
    const { source } = parsePoolXml(pool(`
      <name>rbdpool</name>
      <host name='mon1' port='6789'/><host name='mon2' port='6789'/><host name='mon3'/>
      <auth username='admin' type='ceph'><secret usage='client.admin secret'/></auth>`));
    expect(source.hosts).toEqual([{ name: 'mon1', port: 6789 }, { name: 'mon2', port: 6789 }, { name: 'mon3' }]);
    expect(source.host).toBe('mon1');
    expect(source.name).toBe('rbdpool');
    expect(source.auth).toEqual({ type: 'ceph', username: 'admin', secretUsage: 'client.admin secret' });
  });

  it('iscsi: chap auth by secret uuid, initiator', () => {
    const { source } = parsePoolXml(pool(`
      <host name='san'/><device path='iqn.2013-06.com.example:iscsi-pool'/>
      <auth type='chap' username='myname'><secret uuid='2ec115d7-3a88-3ceb-bc12-0ac909a6fd87'/></auth>
      <initiator><iqn name='iqn.2013-06.com.example:client'/></initiator>`));
    expect(source.auth).toEqual({ type: 'chap', username: 'myname', secretUuid: '2ec115d7-3a88-3ceb-bc12-0ac909a6fd87' });
    expect(source.initiator).toBe('iqn.2013-06.com.example:client');
  });

  it('logical: several devices, VG name, format', () => {
    const { source } = parsePoolXml(
      pool("<device path='/dev/sda2'/><device path='/dev/sdb1'/><name>VolGroup00</name><format type='lvm2'/>"),
    );
    expect(source).toMatchObject({ device: '/dev/sda2', devices: ['/dev/sda2', '/dev/sdb1'], name: 'VolGroup00', format: 'lvm2' });
  });

  it('disk: a device with free extents and part_separator still gives its path', () => {
    const { source } = parsePoolXml(
      pool("<device path='/dev/sdc' part_separator='no'><freeExtent start='1' end='2'/></device><format type='gpt'/>"),
    );
    expect(source.devices).toEqual(['/dev/sdc']);
  });

  it('scsi: fc_host adapter attributes as they are; vendor/product are not represented', () => {
    const { source } = parsePoolXml(pool(`
      <adapter type='fc_host' parent='scsi_host5' managed='yes' wwnn='20000000c9831b4b' wwpn='10000000c9831b4b'/>
      <vendor name='NVMe'/><product name='Fast'/>`));
    expect(source.adapter).toEqual({
      type: 'fc_host', parent: 'scsi_host5', managed: 'yes', wwnn: '20000000c9831b4b', wwpn: '10000000c9831b4b',
    });
  });

  it('scsi: scsi_host adapter by parent PCI address', () => {
    const { source } = parsePoolXml(pool(`
      <adapter type='scsi_host'><parentaddr unique_id='1'>
        <address domain='0x0000' bus='0x00' slot='0x1f' function='0x2'/></parentaddr></adapter>`));
    expect(source.adapter).toEqual({
      type: 'scsi_host', 'parentaddr.unique_id': '1',
      'parentaddr.domain': '0x0000', 'parentaddr.bus': '0x00', 'parentaddr.slot': '0x1f', 'parentaddr.function': '0x2',
    });
  });

  it('omits what is absent, never ""', () => {
    const parsed = parsePoolXml("<pool type='dir'><name>p</name><uuid>u</uuid><target><path></path><permissions/></target></pool>");
    expect(parsed.source).toEqual({ hosts: [], devices: [] });
    expect(parsed.target).toEqual({ permissions: {} });
    expect(Object.keys(parsed.source)).not.toContain('host');
    expect([parsed.capacity, parsed.allocation, parsed.available]).toEqual([0, 0, 0]);
  });

  it('scales sizes by unit', () => {
    const parsed = parsePoolXml(pool('', "<capacity unit='GiB'>2</capacity><allocation unit='KB'>3</allocation><available>5</available>"));
    expect([parsed.capacity, parsed.allocation, parsed.available]).toEqual([2 * 1024 ** 3, 3000, 5]);
  });
});

describe('parsePoolXml refuses', () => {
  it.each([
    ['no name', "<pool type='dir'><uuid>u</uuid></pool>", /<name> is missing/],
    ['no uuid', "<pool type='dir'><name>p</name></pool>", /pool "p": <uuid> is missing/],
    ['no type', '<pool><name>p</name><uuid>u</uuid></pool>', /pool "p": <pool type=…> is missing/],
    ['a host without a name', pool("<host port='1'/>"), /<host name=…> is missing/],
    ['a port that is no number', pool("<host name='h' port='x'/>"), /<host port> "x" is not a whole number/],
    ['auth without username', pool("<auth type='chap'/>"), /username/],
    ['a device without path', pool('<device/>'), /<device path=…> is missing/],
    ['a bad unit', pool('', "<capacity unit='furlongs'>1</capacity>"), /unknown size unit "furlongs"/],
    ['malformed XML', "<pool type='dir'><name>p</pool>", /malformed/],
    ['volume XML', '<volume><name>v</name></volume>', /expected one <pool>/],
  ])('%s', (_, xml, message) => {
    expect(() => parsePoolXml(xml)).toThrow(XmlParseError);
    expect(() => parsePoolXml(xml)).toThrow(message);
  });
});
