import 'server-only';
import { attr, child, children, has, parseXml, text, type XmlNode } from './parse';

/**
 * What the VM page needs from `virsh dumpxml` beyond the storage summary in domain.ts:
 * machine and ACPI (they decide whether a disk can be hot-plugged), the guest agent channel
 * (quiesced snapshots), and each disk's io/discard/serial.
 */
export interface DomainExtra {
  machine: string | null;
  arch: string | null;
  acpi: boolean;
  guestAgent: boolean;
  /** Guest agent connected right now (live XML only says so). */
  guestAgentConnected: boolean;
  controllers: Array<{ type: string; model: string | null }>;
  disks: Map<string, { io: string | null; discard: string | null; serial: string | null }>;
}

export function parseDomainExtra(xml: string): DomainExtra {
  const dom = parseXml(xml, 'domain');
  const type = child(child(dom, 'os'), 'type');
  const devices = child(dom, 'devices');
  const agent = children(devices, 'channel').find((c) => attr(child(c, 'target'), 'name') === 'org.qemu.guest_agent.0');
  const disks = new Map<string, { io: string | null; discard: string | null; serial: string | null }>();
  for (const d of children(devices, 'disk')) {
    const dev = attr(child(d, 'target'), 'dev');
    if (!dev) continue;
    const driver = child(d, 'driver');
    disks.set(dev, { io: attr(driver, 'io') ?? null, discard: attr(driver, 'discard') ?? null, serial: text(d, 'serial') ?? null });
  }
  return {
    machine: attr(type, 'machine') ?? null,
    arch: attr(type, 'arch') ?? null,
    acpi: has(child(dom, 'features'), 'acpi'),
    guestAgent: agent !== undefined,
    guestAgentConnected: attr(child(agent, 'target'), 'state') === 'connected',
    controllers: children(devices, 'controller').map((c: XmlNode) => ({ type: attr(c, 'type') ?? '', model: attr(c, 'model') ?? null })),
    disks,
  };
}

/** The disk buses `virsh domcapabilities` allows for this emulator and machine. */
export function parseDiskBuses(xml: string): string[] {
  const caps = parseXml(xml, 'domainCapabilities');
  const disk = child(child(caps, 'devices'), 'disk');
  if (attr(disk, 'supported') !== 'yes') return [];
  const bus = children(disk, 'enum').find((e) => attr(e, 'name') === 'bus');
  return children(bus, 'value').map((v) => text(v) ?? '').filter(Boolean);
}
