import 'server-only';
import { escapeXml } from './escape';
import { sourceOf } from './domain';
import { XmlParseError, attr, child, children, int, parseXml, required, text } from './parse';

/**
 * `virsh snapshot-dumpxml` (https://libvirt.org/formatsnapshot.html). The document embeds the
 * whole domain XML of the moment; only the snapshot's own facts are read here.
 */
export interface SnapshotXml {
  name: string;
  description: string | null;
  parent: string | null;
  creationTime: number;
  state: string;
  memory: 'internal' | 'external' | 'no';
  disks: Array<{ name: string; snapshot: string; file: string | null }>;
}

export function parseSnapshotXml(xml: string): SnapshotXml {
  const snap = parseXml(xml, 'domainsnapshot');
  const name = required(text(snap, 'name'), '<domainsnapshot> <name>');
  const mem = attr(child(snap, 'memory'), 'snapshot') ?? 'no';
  return {
    name,
    description: text(snap, 'description') ?? null,
    parent: text(child(snap, 'parent'), 'name') ?? null,
    creationTime: required(int(text(snap, 'creationTime'), `snapshot ${name}: <creationTime>`), `snapshot ${name}: <creationTime>`),
    // libvirt writes `shutoff` here but `shut off` in domstate: one spelling for the UI.
    state: (text(snap, 'state') ?? 'unknown').replace(/^shutoff$/, 'shut off'),
    memory: mem === 'internal' || mem === 'external' ? mem : 'no',
    disks: children(child(snap, 'disks'), 'disk').map((d) => ({
      name: required(attr(d, 'name'), `snapshot ${name}: <disk name=…>`),
      snapshot: attr(d, 'snapshot') ?? 'no',
      file: sourceOf(attr(d, 'type') ?? 'file', child(d, 'source')),
    })),
  };
}

export { XmlParseError };

export interface SnapshotXmlInput {
  name: string;
  description?: string;
  /** internal: memory state too (running VM); external-memory is not offered. */
  memory: 'internal' | 'no';
  disks: Array<{ target: string; snapshot: 'internal' | 'external' | 'no'; file?: string }>;
}

/** The `<domainsnapshot>` document for `snapshot-create --xmlfile`: every value escaped. */
export function buildSnapshotXml(s: SnapshotXmlInput): string {
  const lines = ['<domainsnapshot>', `  <name>${escapeXml(s.name)}</name>`];
  if (s.description) lines.push(`  <description>${escapeXml(s.description)}</description>`);
  lines.push(`  <memory snapshot='${s.memory}'/>`);
  if (s.disks.length) {
    lines.push('  <disks>');
    for (const d of s.disks) {
      if (d.snapshot === 'external' && d.file)
        lines.push(`    <disk name='${escapeXml(d.target)}' snapshot='external' type='file'>`, `      <driver type='qcow2'/>`, `      <source file='${escapeXml(d.file)}'/>`, '    </disk>');
      else lines.push(`    <disk name='${escapeXml(d.target)}' snapshot='${d.snapshot}'/>`);
    }
    lines.push('  </disks>');
  }
  lines.push('</domainsnapshot>');
  return lines.join('\n') + '\n';
}
