import 'server-only';
import { attr, child, parseXml, required, size, text, type XmlNode } from './parse';

export interface BackingStoreXml {
  path: string;
  format: string | null;
}

/** What `virsh vol-dumpxml` says about a volume. Sizes are bytes. */
export interface VolumeXml {
  name: string;
  key: string;
  type: string; // file, block, dir, network, netdir, ploop
  path: string;
  format: string | null;
  capacity: number;
  allocation: number;
  physical: number | null;
  backingStore: BackingStoreXml | null;
  /** <target><encryption format=…>: "luks" for a LUKS qcow2/raw image, null when not encrypted. */
  encryption: string | null;
}

/**
 * Parse `virsh vol-dumpxml` (https://libvirt.org/formatstorage.html#storage-volume-xml).
 *
 * Things the lab showed:
 * - <backingStore><path> is absolute even when the image header holds a relative name
 *   (oa-disk0.qcow2 → "base-centos7.qcow2"): libvirt resolves it against the image's directory.
 *   `qemu-img info` keeps the relative name in backing-filename.
 * - iscsi-direct volumes are type "network", named "unit:0:0:N", with a key and path like
 *   "ip-127.0.0.1:3260-iscsi-<iqn>-lun-N" that is no file; they have no <format>. LUN 0 is
 *   the target's controller, capacity 0.
 * - <physical> (bytes on disk) is only printed for file volumes; it can be smaller than
 *   <allocation>.
 * - a directory inside a dir/fs pool (lost+found) is a volume of type and format "dir".
 */
export function parseVolumeXml(xml: string): VolumeXml {
  const vol = parseXml(xml, 'volume');
  const name = required(text(vol, 'name'), '<volume> <name>');
  const what = `volume "${name}"`;
  const target = child(vol, 'target');
  return {
    name,
    key: required(text(vol, 'key'), `${what}: <key>`),
    type: attr(vol, 'type') ?? 'file',
    path: required(text(target, 'path'), `${what}: <target><path>`),
    format: formatOf(target),
    capacity: required(size(vol, 'capacity'), `${what}: <capacity>`),
    allocation: required(size(vol, 'allocation'), `${what}: <allocation>`),
    physical: size(vol, 'physical') ?? null,
    backingStore: parseBackingStore(child(vol, 'backingStore')),
    encryption: attr(child(target, 'encryption'), 'format') ?? null,
  };
}

function formatOf(node: XmlNode | undefined): string | null {
  return attr(child(node, 'format'), 'type') ?? null;
}

/** An empty or path-less <backingStore/> means no backing file. */
function parseBackingStore(node: XmlNode | undefined): BackingStoreXml | null {
  const path = text(node, 'path');
  return path === undefined ? null : { path, format: formatOf(node) };
}
