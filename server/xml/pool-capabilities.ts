import 'server-only';
import { attr, child, children, parseXml, required, text, type XmlNode } from './parse';

/** One pool type as `virsh pool-capabilities` describes it. */
export interface PoolTypeCapability {
  type: string;
  supported: boolean; // the driver for this pool type is built into this libvirtd
  defaultPoolFormat: string | null; // <source><format type> when none is given
  poolFormats: string[]; // possible <source><format type> values (fs, netfs, logical, disk)
  defaultVolumeFormat: string | null; // <target><format type> of a new volume
  volumeFormats: string[]; // possible volume formats (qcow2, raw, … for dir/fs/netfs)
}

/**
 * Parse `virsh pool-capabilities` (https://libvirt.org/formatstoragecaps.html).
 * A pool type without <poolOptions>/<volOptions> (iscsi, scsi, mpath, …) has no format to
 * choose: its lists are empty and its defaults null. Unsupported types are listed too, and
 * may still carry options (rbd, gluster); callers filter on `supported`.
 */
export function parsePoolCapabilities(xml: string): PoolTypeCapability[] {
  const caps = parseXml(xml, 'storagepoolCapabilities');
  return children(caps, 'pool').map((pool) => {
    const poolOptions = child(pool, 'poolOptions');
    const volOptions = child(pool, 'volOptions');
    return {
      type: required(attr(pool, 'type'), '<storagepoolCapabilities><pool type=…>'),
      supported: attr(pool, 'supported') === 'yes',
      defaultPoolFormat: attr(child(poolOptions, 'defaultFormat'), 'type') ?? null,
      poolFormats: enumValues(poolOptions, 'sourceFormatType'),
      defaultVolumeFormat: attr(child(volOptions, 'defaultFormat'), 'type') ?? null,
      volumeFormats: enumValues(volOptions, 'targetFormatType'),
    };
  });
}

function enumValues(options: XmlNode | undefined, name: string): string[] {
  const list = children(options, 'enum').find((e) => attr(e, 'name') === name);
  return children(list, 'value').flatMap((v) => text(v) ?? []);
}
