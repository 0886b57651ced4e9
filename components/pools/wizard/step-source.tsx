'use client';

import type { PoolTypeCapability } from '@/lib/api/pools';
import { DevicePicker } from './device-picker';
import { Discover } from './discover';
import { Note } from '@/components/ui/note';
import { CheckField, SelectField, TextField } from '@/components/ui/form-fields';
import { typeInfo, type FieldErrors, type WizardForm } from './model';

type Props = { hostId: string; form: WizardForm; set: (p: Partial<WizardForm>) => void; errors: FieldErrors; cap?: PoolTypeCapability };

/** Step 2: the <source> of the pool, per type, with discovery wherever libvirt offers it. */
export function StepSource(props: Props) {
  const { form } = props;
  switch (form.type) {
    case 'dir':
      return <Note>A directory pool has no source: its volumes are files in the target directory, set in the next step.</Note>;
    case 'mpath':
      return <Note>A multipath pool has no source to set: it lists every device under /dev/mapper.</Note>;
    case 'fs':
    case 'disk':
      return <BlockSource {...props} />;
    case 'netfs':
      return <NetfsSource {...props} />;
    case 'logical':
      return <LogicalSource {...props} />;
    case 'iscsi':
    case 'iscsi-direct':
      return <IscsiSource {...props} />;
    case 'scsi':
      return (
        <div className="max-w-md">
          <TextField label="SCSI host adapter" value={form.adapter} onChange={(adapter) => props.set({ adapter })} error={props.errors['source.adapter']} mono placeholder="host0" help="As in /sys/class/scsi_host (host0, host1, …)." />
        </div>
      );
    default:
      return <OtherSource {...props} />;
  }
}

function formatOptions(cap: PoolTypeCapability | undefined, fallback: string[]) {
  const list = cap?.poolFormats.length ? cap.poolFormats : fallback;
  return list.map((f) => ({ value: f === (cap?.defaultPoolFormat ?? 'auto') ? '' : f, label: f === (cap?.defaultPoolFormat ?? 'auto') ? `${f} (default)` : f }));
}

function BlockSource({ hostId, form, set, errors, cap }: Props) {
  const fs = form.type === 'fs';
  return (
    <div className="space-y-4">
      <div>
        <p className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Source device</p>
        <p className="mb-1 text-xs text-zinc-600 dark:text-zinc-400">
          {fs ? 'The block device holding (or to hold) the filesystem. Mounted devices cannot be chosen.' : 'The whole disk whose partitions become the volumes.'}
        </p>
        <DevicePicker hostId={hostId} multiple={false} selected={form.device ? [form.device] : []} onChange={([d]) => set({ device: d ?? '' })} label="Block devices on the host" />
      </div>
      <div className="grid max-w-2xl gap-4 md:grid-cols-2">
        <TextField label="Device path" value={form.device} onChange={(device) => set({ device })} error={errors['source.device']} mono placeholder="/dev/sdb1" help="Or type it (e.g. a /dev/disk/by-id path)." />
        <SelectField
          label={fs ? 'Filesystem' : 'Partition table'}
          value={form.format}
          onChange={(format) => set({ format })}
          options={formatOptions(cap, fs ? ['auto', 'ext2', 'ext3', 'ext4', 'xfs', 'vfat'] : ['unknown', 'dos', 'gpt'])}
          error={errors['source.format']}
          help={fs ? 'auto lets mount detect it; building makes this filesystem.' : 'Building writes this partition table.'}
        />
      </div>
    </div>
  );
}

function NetfsSource({ hostId, form, set, errors, cap }: Props) {
  return (
    <div className="grid max-w-3xl gap-4 md:grid-cols-2">
      <TextField label="Server" value={form.host} onChange={(host) => set({ host })} error={errors['source.host']} placeholder="nfs.example.com" help="Host name or IP address of the NFS server." />
      <div className="pt-6">
        <Discover
          hostId={hostId}
          type="netfs"
          query={{ host: form.host }}
          label="Discover exports"
          disabledReason={form.host ? undefined : 'enter the server first'}
          describe={(s) => s.dir ?? '?'}
          onPick={(s) => set({ dir: s.dir ?? '' })}
        />
      </div>
      <TextField label="Export path" value={form.dir} onChange={(dir) => set({ dir })} error={errors['source.dir']} mono placeholder="/srv/nfs/images" />
      <SelectField label="Format" value={form.format} onChange={(format) => set({ format })} options={formatOptions(cap, ['auto', 'nfs', 'cifs', 'glusterfs'])} error={errors['source.format']} />
      <SelectField
        label="NFS protocol version"
        value={form.protocolVersion}
        onChange={(protocolVersion) => set({ protocolVersion })}
        options={[{ value: '', label: 'negotiate (default)' }, ...['3', '4', '4.1', '4.2'].map((v) => ({ value: v, label: `NFSv${v}` }))]}
        error={errors['source.protocolVersion']}
      />
    </div>
  );
}

function LogicalSource({ hostId, form, set, errors }: Props) {
  const existing = form.logicalMode === 'existing';
  return (
    <div className="space-y-4">
      <fieldset className="flex gap-4 text-sm">
        <legend className="mb-1 text-sm font-medium">Volume group</legend>
        {(['existing', 'new'] as const).map((m) => (
          <label key={m} className="flex items-center gap-1.5">
            <input type="radio" name="logical-mode" checked={form.logicalMode === m} onChange={() => set({ logicalMode: m, build: m === 'new', overwrite: false, confirm: '' })} className="accent-sky-700" />
            {m === 'existing' ? 'Use an existing volume group' : 'Create a new one on devices'}
          </label>
        ))}
      </fieldset>
      <div className="grid max-w-3xl gap-4 md:grid-cols-2">
        <TextField label="Volume group name" value={form.sourceName} onChange={(sourceName) => set({ sourceName })} error={errors['source.name']} mono placeholder="vg_guests" />
        {existing && (
          <div className="pt-6">
            <Discover hostId={hostId} type="logical" query={{}} label="Discover volume groups" describe={(s) => s.name ?? '?'} onPick={(s) => set({ sourceName: s.name ?? '', devices: s.devices })} />
          </div>
        )}
      </div>
      {!existing && (
        <>
          <Note tone="danger">Building a new volume group runs pvcreate and vgcreate on the chosen devices: everything on them is wiped.</Note>
          <DevicePicker hostId={hostId} multiple selected={form.devices} onChange={(devices) => set({ devices })} label="Devices for the new volume group" />
          {errors['source.devices'] && <p className="text-xs font-medium text-red-700">{errors['source.devices']}</p>}
        </>
      )}
    </div>
  );
}

function IscsiSource({ hostId, form, set, errors }: Props) {
  const direct = form.type === 'iscsi-direct';
  const discovery = typeInfo(form.type).discovery;
  return (
    <div className="space-y-4">
      <div className="grid max-w-3xl gap-4 md:grid-cols-3">
        <div className="md:col-span-2">
          <TextField label="Portal host" value={form.host} onChange={(host) => set({ host })} error={errors['source.host']} placeholder="san.example.com" />
        </div>
        <TextField label="Port" value={form.port} onChange={(port) => set({ port })} error={errors['source.port']} placeholder="3260" />
      </div>
      <div className="grid max-w-3xl gap-4 md:grid-cols-2">
        <TextField
          label={direct ? 'Initiator IQN (required)' : 'Initiator IQN (optional)'}
          value={form.initiator}
          onChange={(initiator) => set({ initiator })}
          error={errors['source.initiator']}
          mono
          placeholder="iqn.2026-11.com.example:host1"
          help={direct ? 'QEMU logs in with this name; the target’s ACL must allow it.' : 'Defaults to the host’s /etc/iscsi/initiatorname.iscsi.'}
        />
        <div className="pt-6">
          {discovery === 'unsafe' ? (
            // libvirt 9.0's iscsi-direct discovery crashed libvirtd on a portal with several targets: not offered.
            <p className="text-xs text-zinc-600 dark:text-zinc-400">
              No discovery for iscsi-direct: libvirt’s iscsi-direct discovery can crash libvirtd (seen with libvirt 9.0). Type the target IQN, or list the
              targets with <code>iscsiadm -m discovery -t st -p HOST</code> on a machine that has open-iscsi.
            </p>
          ) : (
            <Discover
              hostId={hostId}
              type={form.type}
              query={{ host: form.host, port: form.port || undefined }}
              label="Discover targets"
              disabledReason={!form.host ? 'enter the portal first' : undefined}
              describe={(s) => s.device ?? '?'}
              onPick={(s) => set({ device: s.device ?? '' })}
            />
          )}
        </div>
      </div>
      <div className="max-w-3xl">
        <TextField label="Target IQN" value={form.device} onChange={(device) => set({ device })} error={errors['source.device']} mono placeholder="iqn.2026-11.com.example:storage" />
      </div>
      <fieldset className="max-w-3xl space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-700">
        <legend className="px-1 text-sm font-medium">Authentication</legend>
        <CheckField label="CHAP authentication" checked={form.chap} onChange={(chap) => set({ chap })} help="The password is stored as a libvirt secret (written on stdin) and never shown again, nor put on a command line." />
        {form.chap && (
          <div className="grid gap-4 md:grid-cols-2">
            <TextField label="CHAP user name" value={form.authUser} onChange={(authUser) => set({ authUser })} error={errors['source.auth.username']} />
            <TextField label="CHAP password" type="password" autoComplete="new-password" value={form.authSecret} onChange={(authSecret) => set({ authSecret })} error={errors['source.auth.secret']} />
          </div>
        )}
      </fieldset>
    </div>
  );
}

/** gluster, rbd, zfs: the fields libvirt's pool XML defines for them. */
function OtherSource({ form, set, errors }: Props) {
  const t = form.type;
  return (
    <div className="grid max-w-3xl gap-4 md:grid-cols-2">
      {(t === 'gluster' || t === 'rbd') && (
        <TextField label={t === 'rbd' ? 'Ceph monitor host' : 'Gluster server'} value={form.host} onChange={(host) => set({ host })} error={errors['source.host']} />
      )}
      {t === 'rbd' && <TextField label="Monitor port" value={form.port} onChange={(port) => set({ port })} error={errors['source.port']} placeholder="6789" />}
      <TextField label={t === 'gluster' ? 'Gluster volume' : t === 'rbd' ? 'Ceph pool' : 'ZFS pool name'} value={form.sourceName} onChange={(sourceName) => set({ sourceName })} error={errors['source.name']} mono />
      {t === 'gluster' && <TextField label="Directory in the volume" value={form.dir} onChange={(dir) => set({ dir })} error={errors['source.dir']} mono placeholder="/" />}
      {t === 'rbd' && <Note tone="warn">Ceph authentication (cephx) needs a libvirt secret of usage type ceph; define it with virsh secret-define first.</Note>}
    </div>
  );
}
