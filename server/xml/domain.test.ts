import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DiskDto } from '@/lib/schemas';
import { parseDomainXml } from './domain';
import { XmlParseError } from './parse';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/lab/${name}`, import.meta.url), 'utf8');

const vm001Disk = {
  target: 'vda', bus: 'virtio', device: 'disk', type: 'file', source: '/kvm-vm/centos7-vm001.qcow2',
  sourcePool: null, sourceVolume: null, format: 'qcow2', cache: 'none', readonly: false, shareable: false,
};

describe('parseDomainXml on the lab', () => {
  it('vm001 live: the disk carries its backing chain', () => {
    const dom = parseDomainXml(fixture('domain-vm001.xml'));
    expect(dom).toMatchObject({ name: 'vm001', vcpus: 1, memory: 64 * 1024 ** 2 });
    expect(dom.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(dom.virtType).toMatch(/^(kvm|qemu)$/);
    expect(dom.disks).toEqual([{ ...vm001Disk, chain: [{ path: '/kvm-vm/base-centos7.qcow2', format: 'qcow2' }] }]);
  });

  it('vm001 inactive: same disk, no chain', () => {
    const dom = parseDomainXml(fixture('domain-vm001-inactive.xml'));
    expect(dom.disks).toEqual([{ ...vm001Disk, chain: [] }]);
  });

  it('vm002 (shut off): two disks, qcow2 and raw', () => {
    const dom = parseDomainXml(fixture('domain-vm002.xml'));
    expect(dom.disks.map((d) => [d.target, d.source, d.format, d.chain])).toEqual([
      ['vda', '/kvm-vm/oa-disk0.qcow2', 'qcow2', []],
      ['vdb', '/kvm-vm/vmtest01.img', 'raw', []],
    ]);
  });

  it('web01 (session): no cache attribute gives null', () => {
    const [disk] = parseDomainXml(fixture('domain-session-web01.xml')).disks;
    expect(disk).toMatchObject({ source: '/home/kscuser/images/web01.qcow2', cache: null, format: 'qcow2' });
  });

  it('gives disks the shared zod schema accepts', () => {
    for (const disk of parseDomainXml(fixture('domain-vm002.xml')).disks) {
      const { chain: _, ...dto } = disk;
      expect(DiskDto.parse(dto)).toEqual(dto);
    }
  });
});

const domain = (devices: string, head = "<memory unit='KiB'>1024</memory><vcpu>2</vcpu>") =>
  `<domain type='kvm'><name>d</name><uuid>u</uuid>${head}<devices>${devices}</devices></domain>`;
const disk = (type: string, source: string, more = '') =>
  `<disk type='${type}' device='disk'>${source}<target dev='vdz' bus='scsi'/>${more}</disk>`;

describe('parseDomainXml disk sources', () => {
  it.each([
    ['file', "<source file='/a.qcow2'/>", '/a.qcow2'],
    ['block', "<source dev='/dev/sdb'/>", '/dev/sdb'],
    ['dir', "<source dir='/srv/share'/>", '/srv/share'],
    ['volume', "<source pool='vm' volume='x.qcow2'/>", 'vm/x.qcow2'],
    ['network', "<source protocol='rbd' name='pool/image'><host name='mon1' port='6789'/></source>", 'rbd:pool/image'],
    ['network', "<source protocol='nbd'><host name='h'/></source>", 'nbd'],
    ['vhostuser', "<source type='unix' path='/run/vhost.sock'/>", '/run/vhost.sock'],
    ['nvme', "<source type='pci' managed='yes' namespace='1'/>", null],
    ['file', '', null],
  ])('%s %s → %s', (type, source, expected) => {
    const [d] = parseDomainXml(domain(disk(type, source))).disks;
    expect(d?.source).toBe(expected);
  });

  it('volume disks also give pool and volume apart', () => {
    const [d] = parseDomainXml(domain(disk('volume', "<source pool='vm' volume='x.qcow2'/>"))).disks;
    expect([d?.sourcePool, d?.sourceVolume]).toEqual(['vm', 'x.qcow2']);
  });

  it('an empty CD-ROM drive: no source, readonly; shareable disks', () => {
    const dom = parseDomainXml(domain(`
      <disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='sda' bus='sata'/><readonly/></disk>
      <disk type='block'><source dev='/dev/sdc'/><target dev='vdb'/><shareable/></disk>`));
    expect(dom.disks).toEqual([
      { ...vm001Disk, target: 'sda', bus: 'sata', device: 'cdrom', source: null, format: 'raw', cache: null, readonly: true, chain: [] },
      { ...vm001Disk, target: 'vdb', bus: null, type: 'block', source: '/dev/sdc', format: null, cache: null, shareable: true, chain: [] },
    ]);
  });

  it('follows a nested chain of mixed types down to the empty <backingStore/>', () => {
    const chain = `
      <backingStore type='file' index='2'><format type='qcow2'/><source file='/mid.qcow2'/>
        <backingStore type='block' index='3'><format type='raw'/><source dev='/dev/vg/base'/>
          <backingStore/></backingStore></backingStore>`;
    const [d] = parseDomainXml(domain(disk('file', "<source file='/top.qcow2' index='1'/>", chain))).disks;
    expect(d?.chain).toEqual([
      { path: '/mid.qcow2', format: 'qcow2' },
      { path: '/dev/vg/base', format: 'raw' },
    ]);
  });

  it('a lone <backingStore/> means no backing file', () => {
    const [d] = parseDomainXml(domain(disk('file', "<source file='/a'/>", '<backingStore/>'))).disks;
    expect(d?.chain).toEqual([]);
  });
});

describe('parseDomainXml head', () => {
  it('memory without unit is KiB; other units scale', () => {
    expect(parseDomainXml(domain('', '<memory>2048</memory>')).memory).toBe(2 * 1024 ** 2);
    expect(parseDomainXml(domain('', "<memory unit='GiB'>4</memory>")).memory).toBe(4 * 1024 ** 3);
    expect(parseDomainXml(domain('', "<memory unit='bytes'>4096</memory>")).memory).toBe(4096);
  });

  it('vcpus: current= wins over the maximum; absent is 1', () => {
    expect(parseDomainXml(domain('', "<memory>1</memory><vcpu placement='static' current='2'>8</vcpu>")).vcpus).toBe(2);
    expect(parseDomainXml(domain('', '<memory>1</memory>')).vcpus).toBe(1);
  });

  it('no <devices> means no disks', () => {
    expect(parseDomainXml("<domain type='qemu'><name>d</name><uuid>u</uuid><memory>1</memory></domain>").disks).toEqual([]);
  });

  it.each([
    ['no name', "<domain type='kvm'><uuid>u</uuid><memory>1</memory></domain>", /<domain> <name> is missing/],
    ['no uuid', "<domain type='kvm'><name>d</name><memory>1</memory></domain>", /domain "d": <uuid> is missing/],
    ['no type', '<domain><name>d</name><uuid>u</uuid><memory>1</memory></domain>', /<domain type=…> is missing/],
    ['no memory', "<domain type='kvm'><name>d</name><uuid>u</uuid></domain>", /<memory> is missing/],
    ['a disk without target', domain("<disk type='file'><source file='/a'/></disk>"), /<disk><target dev=…> is missing/],
    ['malformed XML', "<domain type='kvm'><name>d</domain>", /malformed/],
  ])('refuses %s', (_, xml, message) => {
    expect(() => parseDomainXml(xml)).toThrow(XmlParseError);
    expect(() => parseDomainXml(xml)).toThrow(message);
  });
});
