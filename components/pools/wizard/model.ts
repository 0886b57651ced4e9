import { PoolCreateInput } from '@/lib/schemas';
import type { PoolCreateInputRaw } from '@/lib/api/pools';
import { buildsByDefault, canBuild, CREATABLE_POOL_TYPES, POOL_TYPE_TABLE, specOf, type PoolTypeSpec, type SourceField } from '@/lib/pool-types';

/**
 * The wizard's form state and its translation into the API body (POST /pools). Everything the
 * user typed is kept as typed (no trimming, no escaping): the server puts values after `--` or
 * on stdin and escapes XML, so hostile text either fails validation here or goes through literally.
 */
export type PoolType = PoolCreateInput['type'];

/** What the wizard shows for a type: its row of the pool-type table (lib/pool-types.ts). */
export type TypeInfo = PoolTypeSpec & { type: PoolType };

/** The types the wizard can create, in the table's order; only those the host reports as supported are offered. */
export const TYPE_INFO: TypeInfo[] = POOL_TYPE_TABLE.filter((s): s is TypeInfo => (CREATABLE_POOL_TYPES as readonly string[]).includes(s.type));
export const typeInfo = (t: PoolType): TypeInfo => specOf(t) as TypeInfo;

export interface WizardForm {
  name: string;
  type: PoolType;
  host: string;
  port: string;
  dir: string;
  device: string;
  devices: string[];
  sourceName: string;
  format: string;
  protocolVersion: string;
  initiator: string;
  adapter: string;
  logicalMode: 'existing' | 'new';
  chap: boolean;
  authUser: string;
  authSecret: string;
  targetPath: string;
  mode: string;
  owner: string;
  group: string;
  build: boolean;
  overwrite: boolean;
  confirm: string;
  start: boolean;
  autostart: boolean;
}

export const emptyForm = (type: PoolType = 'dir'): WizardForm => ({
  name: '',
  type,
  host: '',
  port: '',
  dir: '',
  device: '',
  devices: [],
  sourceName: '',
  format: '',
  protocolVersion: '',
  initiator: '',
  adapter: '',
  logicalMode: 'existing',
  chap: false,
  authUser: '',
  authSecret: '',
  targetPath: '',
  mode: '',
  owner: '',
  group: '',
  build: buildsByDefault(type),
  overwrite: false,
  confirm: '',
  start: true,
  autostart: true,
});

/** Which source fields each type shows (the table's `source`, after libvirt's formatstorage.html). */
export const sourceFields = (t: PoolType): ReadonlySet<SourceField> => new Set(typeInfo(t).source);

const opt = (s: string) => (s === '' ? undefined : s);

/** The POST body for this form. Fields a type does not use are left out. */
export function toBody(f: WizardForm): PoolCreateInputRaw {
  const uses = sourceFields(f.type);
  const info = typeInfo(f.type);
  const source: NonNullable<PoolCreateInputRaw['source']> = {};
  if (uses.has('host')) source.host = opt(f.host);
  if (uses.has('port') && f.port !== '') source.port = /^\d+$/.test(f.port) ? Number(f.port) : (f.port as unknown as number);
  if (uses.has('dir')) source.dir = opt(f.dir);
  if (uses.has('device')) source.device = opt(f.device);
  if (uses.has('devices') && !(f.type === 'logical' && f.logicalMode === 'existing') && f.devices.length) source.devices = f.devices;
  if (uses.has('name')) source.name = opt(f.sourceName);
  if (uses.has('format')) source.format = opt(f.format);
  if (uses.has('protocol')) source.protocolVersion = opt(f.protocolVersion);
  if (uses.has('initiator')) source.initiator = opt(f.initiator);
  if (uses.has('adapter')) source.adapter = opt(f.adapter);
  if (uses.has('auth') && f.chap) source.auth = { type: 'chap', username: f.authUser, secret: f.authSecret };
  const permissions = info.target && (f.mode || f.owner || f.group) ? { mode: opt(f.mode), owner: opt(f.owner), group: opt(f.group) } : undefined;
  const build = canBuild(f.type) && f.build;
  const formats = Boolean(info.build?.formats);
  return {
    name: f.name,
    type: f.type,
    source,
    target: info.target ? { path: opt(f.targetPath), permissions } : {},
    build,
    overwrite: build && formats && f.overwrite,
    start: f.start,
    autostart: f.autostart,
    ...(build && formats && f.overwrite ? { confirm: f.confirm } : {}),
  };
}

export type FieldErrors = Record<string, string>;

/** Field errors keyed like the form (`name`, `source.host`, `target.path`…): the shared zod schema plus per-type requirements. */
export function validate(f: WizardForm, existing: readonly string[]): FieldErrors {
  const errors: FieldErrors = {};
  const parsed = PoolCreateInput.safeParse(toBody(f));
  if (!parsed.success)
    for (const i of parsed.error.issues) {
      const key = i.path.join('.').replace(/^source\.devices\.\d+$/, 'source.devices').replace(/^source\.auth\.(username|secret)$/, 'source.auth.$1');
      errors[key] ??= i.message;
    }
  if (f.name && existing.includes(f.name)) errors.name = `A pool named “${f.name}” already exists on this host`;
  const need = (key: string, value: string | string[], message: string) => {
    if ((Array.isArray(value) ? value.length === 0 : value === '') && !errors[key]) errors[key] = message;
  };
  switch (f.type) {
    case 'fs':
    case 'disk':
      need('source.device', f.device, 'choose the block device');
      if (f.device && !f.device.startsWith('/')) errors['source.device'] ??= 'a device path, starting with /dev/';
      break;
    case 'netfs':
      need('source.host', f.host, 'the NFS server’s host name or address');
      need('source.dir', f.dir, 'the exported directory, e.g. /srv/nfs/images');
      break;
    case 'logical':
      need('source.name', f.sourceName, f.logicalMode === 'existing' ? 'choose the volume group' : 'a name for the new volume group');
      if (f.logicalMode === 'new') need('source.devices', f.devices, 'choose at least one device for the new volume group');
      break;
    case 'iscsi':
    case 'iscsi-direct':
      need('source.host', f.host, 'the portal’s host name or address');
      need('source.device', f.device, 'the target’s IQN');
      if (f.device && !/^(iqn\.\d{4}-\d{2}\..+|eui\.[0-9A-Fa-f]{16}|naa\.[0-9A-Fa-f]{16,32})$/.test(f.device)) errors['source.device'] ??= 'an iSCSI name such as iqn.2026-11.com.example:target';
      if (f.type === 'iscsi-direct') need('source.initiator', f.initiator, 'iscsi-direct logs in itself: give the initiator IQN it uses');
      if (f.chap) {
        need('source.auth.username', f.authUser, 'the CHAP user name');
        need('source.auth.secret', f.authSecret, 'the CHAP password');
      }
      break;
    case 'scsi':
      need('source.adapter', f.adapter, 'the SCSI host adapter, e.g. host0');
      break;
    case 'gluster':
      need('source.host', f.host, 'a Gluster server');
      need('source.name', f.sourceName, 'the Gluster volume name');
      break;
    case 'rbd':
      need('source.host', f.host, 'a Ceph monitor');
      need('source.name', f.sourceName, 'the Ceph pool name');
      break;
    case 'zfs':
      need('source.name', f.sourceName, 'the ZFS pool name');
      break;
    default:
      break;
  }
  if (toBody(f).overwrite && f.confirm !== f.name) errors.confirm = `type the pool name “${f.name}” to allow overwriting`;
  return errors;
}

/** Which step a field belongs to, so Next can stop at the first step with an error. */
export function stepOf(key: string): number {
  if (key === 'name' || key === 'type') return 0;
  if (key.startsWith('source')) return 1;
  return 2;
}
