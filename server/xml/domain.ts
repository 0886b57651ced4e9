import 'server-only';
import type { DiskDto } from '@/lib/schemas';
import { XmlParseError, attr, child, children, has, int, parseXml, required, size, text, type XmlNode } from './parse';

/** One image under a disk's top image: its backing file, that one's backing file, …. */
export interface ChainLink {
  path: string | null;
  format: string | null;
}

export type DomainDisk = DiskDto & { chain: ChainLink[] };

/** What `virsh dumpxml` says about a VM, as far as storage cares. `memory` is bytes. */
export interface DomainXml {
  name: string;
  uuid: string;
  virtType: string; // kvm, qemu (TCG), xen, …
  vcpus: number;
  memory: number;
  disks: DomainDisk[];
}

/**
 * Parse `virsh dumpxml` (https://libvirt.org/formatdomain.html#hard-drives-floppy-disks-cdroms).
 * `chain` is filled from the live XML of a running VM only: the inactive XML (and a shut-off
 * VM's) has no <backingStore>, so there the chain is [] and qemu-img has to be asked.
 */
export function parseDomainXml(xml: string): DomainXml {
  const dom = parseXml(xml, 'domain');
  const name = required(text(dom, 'name'), '<domain> <name>');
  const what = `domain "${name}"`;
  const vcpu = child(dom, 'vcpu');
  return {
    name,
    uuid: required(text(dom, 'uuid'), `${what}: <uuid>`),
    virtType: required(attr(dom, 'type'), `${what}: <domain type=…>`),
    // current= is how many are online; the text is the maximum. libvirt's default is 1.
    vcpus: int(attr(vcpu, 'current') ?? text(vcpu), `${what}: <vcpu>`) ?? 1,
    // The maximum (not <currentMemory>, which the balloon moves). Unlike storage sizes, a
    // domain's memory without unit= is in KiB.
    memory: required(size(dom, 'memory', 'KiB'), `${what}: <memory>`),
    disks: children(child(dom, 'devices'), 'disk').map((d) => parseDisk(d, what)),
  };
}

function parseDisk(disk: XmlNode, what: string): DomainDisk {
  const type = attr(disk, 'type') ?? 'file';
  const source = child(disk, 'source');
  const target = child(disk, 'target');
  const driver = child(disk, 'driver');
  return {
    target: required(attr(target, 'dev'), `${what}: <disk><target dev=…>`),
    bus: attr(target, 'bus') ?? null,
    device: attr(disk, 'device') ?? 'disk',
    type,
    source: sourceOf(type, source),
    sourcePool: (type === 'volume' && attr(source, 'pool')) || null,
    sourceVolume: (type === 'volume' && attr(source, 'volume')) || null,
    format: attr(driver, 'type') ?? null,
    cache: attr(driver, 'cache') ?? null,
    readonly: has(disk, 'readonly'),
    shareable: has(disk, 'shareable'),
    chain: chainOf(disk, what),
  };
}

/**
 * Where a disk (or a backing store) reads from, by type: file → file=, block → dev=,
 * dir → dir=, volume → "pool/volume", network → "protocol:name" (rbd:pool/image, nbd:export),
 * vhostuser → the socket path, vhostvdpa → dev=. null for an empty CD-ROM drive, nvme, ….
 */
export function sourceOf(type: string, source: XmlNode | undefined): string | null {
  if (!source) return null;
  switch (type) {
    case 'file':
      return attr(source, 'file') ?? null;
    case 'block':
    case 'vhostvdpa':
      return attr(source, 'dev') ?? null;
    case 'dir':
      return attr(source, 'dir') ?? null;
    case 'vhostuser':
      return attr(source, 'path') ?? null;
    case 'volume': {
      const pool = attr(source, 'pool');
      const volume = attr(source, 'volume');
      return pool && volume ? `${pool}/${volume}` : null;
    }
    case 'network':
      return [attr(source, 'protocol'), attr(source, 'name')].filter(Boolean).join(':') || null;
    default:
      return null;
  }
}

// libvirt nests the chain: <backingStore type><format/><source/><backingStore …>…, ending in
// an empty <backingStore/> ("nothing below this"). Deeper than this is a loop or a bug.
const MAX_CHAIN = 64;

function chainOf(disk: XmlNode, what: string): ChainLink[] {
  const chain: ChainLink[] = [];
  for (let bs = child(disk, 'backingStore'); bs && isStore(bs); bs = child(bs, 'backingStore')) {
    if (chain.length === MAX_CHAIN) throw new XmlParseError(`${what}: backing chain deeper than ${MAX_CHAIN}`);
    chain.push({
      path: sourceOf(attr(bs, 'type') ?? 'file', child(bs, 'source')),
      format: attr(child(bs, 'format'), 'type') ?? null,
    });
  }
  return chain;
}

const isStore = (bs: XmlNode): boolean => attr(bs, 'type') !== undefined || has(bs, 'source');
