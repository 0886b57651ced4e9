import 'server-only';
import { own } from '@/lib/own';
import { escapeXml } from './escape';

/** Everything a `<disk>` element for attach-device needs, settled by the caller. */
export interface DiskXmlInput {
  /** file: a path; block: a device node; volume: a pool/volume pair (iSCSI-direct LUNs and the like). */
  type: 'file' | 'block' | 'volume';
  device: 'disk' | 'cdrom';
  path?: string;
  pool?: string;
  volume?: string;
  /** Driver type (qcow2, raw, …); omitted lets libvirt probe, which is unsafe for untrusted images, so callers pass it. */
  format: string | null;
  target: string;
  bus: string;
  cache?: string;
  io?: string;
  discard?: string;
  readonly?: boolean;
  shareable?: boolean;
  serial?: string;
  /** A LUKS image: QEMU gets the passphrase from the libvirt secret whose usage is this volume path. */
  encryption?: { format: string; usage: string };
}

/**
 * The disk XML (https://libvirt.org/formatdomain.html#hard-drives-floppy-disks-cdroms),
 * every value escaped. `default` for cache/io/discard means "leave it to QEMU": no attribute.
 */
export function buildDiskXml(d: DiskXmlInput): string {
  const driver = [`name='qemu'`];
  if (d.format) driver.push(`type='${escapeXml(d.format)}'`);
  for (const [k, v] of [['cache', d.cache], ['io', d.io], ['discard', d.discard]] as const)
    if (v && v !== 'default') driver.push(`${k}='${escapeXml(v)}'`);
  const source =
    d.type === 'volume'
      ? `<source pool='${escapeXml(d.pool ?? '')}' volume='${escapeXml(d.volume ?? '')}'/>`
      : d.path
        ? `<source ${d.type === 'block' ? 'dev' : 'file'}='${escapeXml(d.path)}'/>`
        : null;
  const sourceLines =
    source && d.encryption
      ? [
          source.replace(/\/>$/, '>'),
          `  <encryption format='${escapeXml(d.encryption.format)}'>`,
          `    <secret type='passphrase' usage='${escapeXml(d.encryption.usage)}'/>`,
          '  </encryption>',
          '</source>',
        ]
      : source
        ? [source]
        : [];
  const lines = [
    `<disk type='${d.type}' device='${d.device}'>`,
    `  <driver ${driver.join(' ')}/>`,
    ...sourceLines.map((l) => `  ${l}`),
    `  <target dev='${escapeXml(d.target)}' bus='${escapeXml(d.bus)}'/>`,
  ];
  if (d.readonly || d.device === 'cdrom') lines.push('  <readonly/>');
  if (d.shareable) lines.push('  <shareable/>');
  if (d.serial) lines.push(`  <serial>${escapeXml(d.serial)}</serial>`);
  lines.push('</disk>');
  return lines.join('\n') + '\n';
}

const PREFIX: Record<string, string> = { virtio: 'vd', scsi: 'sd', sata: 'sd', usb: 'sd', ide: 'hd', fdc: 'fd' };
export const targetPrefix = (bus: string): string => own(PREFIX, bus) ?? 'vd';

/** vda, …, vdz, vdaa, … — libvirt's disk name order (virDiskNameToIndex). */
export function targetName(prefix: string, index: number): string {
  let s = '';
  for (let i = index; i >= 0; i = Math.floor(i / 26) - 1) s = String.fromCharCode(97 + (i % 26)) + s;
  return prefix + s;
}

/** The first free target for a bus, given every target in use (live and persistent). */
export function nextFreeTarget(bus: string, used: Iterable<string>): string {
  const taken = new Set(used);
  const prefix = targetPrefix(bus);
  for (let i = 0; ; i++) {
    const name = targetName(prefix, i);
    // IDE has 4 slots on i440fx (hda–hdd); past that libvirt refuses.
    if (!taken.has(name)) return name;
  }
}
