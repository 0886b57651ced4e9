import 'server-only';
import type { PoolDto, PoolSource } from '@/lib/schemas';
import { at, attr, child, children, compact, int, parseXml, required, size, text, type XmlNode } from './parse';

/** What `virsh pool-dumpxml` says about a pool. Sizes are bytes. */
export interface PoolXml {
  type: string; // dir, fs, netfs, logical, disk, iscsi, iscsi-direct, scsi, mpath, rbd, gluster, zfs, vstorage
  name: string;
  uuid: string;
  capacity: number;
  allocation: number;
  available: number;
  source: PoolSource;
  target: PoolDto['target'];
}

/**
 * Parse `virsh pool-dumpxml` (https://libvirt.org/formatstorage.html).
 * libvirt always prints capacity, allocation and available (0 for an inactive pool), so a
 * missing one reads as 0; a pool without type, name or uuid is refused.
 */
export function parsePoolXml(xml: string): PoolXml {
  const pool = parseXml(xml, 'pool');
  const name = required(text(pool, 'name'), '<pool> <name>');
  const what = `pool "${name}"`;
  return {
    type: required(attr(pool, 'type'), `${what}: <pool type=…>`),
    name,
    uuid: required(text(pool, 'uuid'), `${what}: <uuid>`),
    capacity: size(pool, 'capacity') ?? 0,
    allocation: size(pool, 'allocation') ?? 0,
    available: size(pool, 'available') ?? 0,
    source: parsePoolSource(child(pool, 'source'), what),
    target: parseTarget(child(pool, 'target')),
  };
}

/**
 * The <source> element, flattened. Elements the schema has no field for are left out:
 * <vendor>/<product> (scsi), <device part_separator> and its <freeExtent>s (disk).
 */
export function parsePoolSource(source: XmlNode | undefined, what = 'pool'): PoolSource {
  const hosts = children(source, 'host').map((h) =>
    compact({
      name: required(attr(h, 'name'), `${what}: <source><host name=…>`),
      port: int(attr(h, 'port'), `${what}: <host port>`),
    }),
  );
  // <device path> may repeat: several disks of a logical pool, or one iSCSI target IQN.
  const devices = children(source, 'device').map((d) => required(attr(d, 'path'), `${what}: <source><device path=…>`));
  return compact({
    host: hosts[0]?.name,
    port: hosts[0]?.port,
    hosts,
    dir: attr(child(source, 'dir'), 'path'),
    device: devices[0],
    devices,
    name: text(source, 'name'),
    format: attr(child(source, 'format'), 'type'),
    adapter: parseAdapter(child(source, 'adapter')),
    initiator: attr(at(source, 'initiator', 'iqn'), 'name'),
    auth: parseAuth(child(source, 'auth'), what),
    protocolVersion: attr(child(source, 'protocol'), 'ver'),
  });
}

/**
 * scsi/fc <adapter type name parent wwnn wwpn managed parent_wwnn parent_wwpn parent_fabric_wwn>,
 * every attribute as it is. A <parentaddr unique_id><address domain bus slot function/>
 * child (scsi_host by PCI address) becomes "parentaddr.unique_id", "parentaddr.domain", ….
 */
function parseAdapter(adapter: XmlNode | undefined): Record<string, string> | undefined {
  if (!adapter) return undefined;
  const out: Record<string, string> = {};
  const copy = (node: XmlNode | undefined, prefix: string) => {
    for (const [key, value] of Object.entries(node ?? {})) {
      if (key.startsWith('@_') && typeof value === 'string' && value !== '') out[prefix + key.slice(2)] = value;
    }
  };
  copy(adapter, '');
  const parentaddr = child(adapter, 'parentaddr');
  copy(parentaddr, 'parentaddr.');
  copy(child(parentaddr, 'address'), 'parentaddr.');
  return out;
}

/** <auth type='chap|ceph' username=…><secret usage=…|uuid=…/></auth>; libvirt requires the username. */
function parseAuth(auth: XmlNode | undefined, what: string): PoolSource['auth'] {
  if (!auth) return undefined;
  const secret = child(auth, 'secret');
  return compact({
    type: required(attr(auth, 'type'), `${what}: <auth type=…>`),
    username: required(attr(auth, 'username'), `${what}: <auth username=…>`),
    secretUsage: attr(secret, 'usage'),
    secretUuid: attr(secret, 'uuid'),
  });
}

function parseTarget(target: XmlNode | undefined): PoolDto['target'] {
  const perms = child(target, 'permissions');
  return compact({
    path: text(target, 'path'),
    permissions: perms && compact({
      mode: text(perms, 'mode'),
      owner: text(perms, 'owner'),
      group: text(perms, 'group'),
      label: text(perms, 'label'),
    }),
  });
}
