import 'server-only';
import { hasTarget } from '@/lib/pool-types';
import { defaultTargetPath, type PoolCreateInput } from '@/lib/schemas';
import { escapeXml as e } from './escape';

/**
 * Build libvirt pool XML (https://libvirt.org/formatstorage.html) from the wizard's input.
 * Pure: every value goes through escapeXml. Which <source> children a type takes follows the
 * format page; fields a type does not use are ignored, never emitted.
 */
export interface PoolXmlOptions {
  /** CHAP/ceph: the usage name of the libvirt secret holding the password. */
  secretUsage?: string;
}


export function buildPoolXml(input: PoolCreateInput, opts: PoolXmlOptions = {}): string {
  const s = input.source;
  const src: string[] = [];
  const host = () => {
    if (s.host) src.push(`<host name='${e(s.host)}'${s.port ? ` port='${s.port}'` : ''}/>`);
  };
  const devices = () => {
    const list = s.devices?.length ? s.devices : s.device ? [s.device] : [];
    for (const d of list) src.push(`<device path='${e(d)}'/>`);
  };
  const auth = () => {
    if (!s.auth) return;
    const usage = opts.secretUsage ?? s.auth.secretUsage;
    if (!usage) throw new Error('an auth block needs a secret');
    src.push(`<auth type='${e(s.auth.type)}' username='${e(s.auth.username)}'>`, `  <secret usage='${e(usage)}'/>`, `</auth>`);
  };
  switch (input.type) {
    case 'dir':
    case 'mpath':
      break;
    case 'fs':
      devices();
      src.push(`<format type='${e(s.format ?? 'auto')}'/>`);
      break;
    case 'netfs':
      host();
      if (s.dir) src.push(`<dir path='${e(s.dir)}'/>`);
      src.push(`<format type='${e(s.format ?? 'auto')}'/>`);
      if (s.protocolVersion) src.push(`<protocol ver='${e(s.protocolVersion)}'/>`);
      break;
    case 'logical':
      devices();
      if (s.name) src.push(`<name>${e(s.name)}</name>`);
      src.push(`<format type='lvm2'/>`);
      break;
    case 'disk':
      devices();
      if (s.format) src.push(`<format type='${e(s.format)}'/>`);
      break;
    case 'iscsi':
    case 'iscsi-direct':
      host();
      if (s.device) src.push(`<device path='${e(s.device)}'/>`);
      if (s.initiator) src.push(`<initiator>`, `  <iqn name='${e(s.initiator)}'/>`, `</initiator>`);
      auth();
      break;
    case 'scsi':
      if (s.adapter) src.push(`<adapter type='scsi_host' name='${e(s.adapter)}'/>`);
      break;
    case 'gluster':
      host();
      if (s.dir) src.push(`<dir path='${e(s.dir)}'/>`);
      if (s.name) src.push(`<name>${e(s.name)}</name>`);
      break;
    case 'rbd':
      if (s.name) src.push(`<name>${e(s.name)}</name>`);
      host();
      auth();
      break;
    case 'zfs':
      if (s.name) src.push(`<name>${e(s.name)}</name>`);
      devices();
      break;
  }
  const lines = [`<pool type='${e(input.type)}'>`, `  <name>${e(input.name)}</name>`];
  if (src.length) lines.push('  <source>', ...src.map((l) => `    ${l}`), '  </source>');
  else if (input.type !== 'dir' && input.type !== 'mpath') lines.push('  <source/>');
  const path = input.target.path ?? defaultTargetPath(input);
  if (hasTarget(input.type) && path) {
    lines.push('  <target>', `    <path>${e(path)}</path>`);
    const p = input.target.permissions;
    if (p && (p.mode || p.owner || p.group)) {
      lines.push('    <permissions>');
      if (p.mode) lines.push(`      <mode>${e(p.mode)}</mode>`);
      if (p.owner) lines.push(`      <owner>${e(p.owner)}</owner>`);
      if (p.group) lines.push(`      <group>${e(p.group)}</group>`);
      lines.push('    </permissions>');
    }
    lines.push('  </target>');
  }
  lines.push('</pool>');
  return lines.join('\n') + '\n';
}
