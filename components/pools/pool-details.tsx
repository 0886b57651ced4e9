import { formatBytes } from '@/lib/format';
import type { PoolDto } from '@/lib/schemas';
import { CodePanel } from '@/components/ui/code-panel';
import { Facts, type Fact } from '@/components/ui/facts';
import { Section } from '@/components/ui/page-header';
import { YesNo } from '@/components/ui/yes-no';

/** Everything the pool XML says, in words, then the XML itself. */
export function PoolDetails({ pool: p, xml, uri }: { pool: PoolDto; xml: string; uri?: string }) {
  const dir = libvirtStorageDir(uri);
  const s = p.source;
  const source: Fact[] = [
    { term: 'Host', value: s.hosts.length > 1 ? s.hosts.map((h) => (h.port ? `${h.name}:${h.port}` : h.name)).join(', ') : s.host },
    { term: 'Port', value: s.port },
    { term: 'Directory', value: s.dir, mono: true },
    { term: s.devices.length > 1 ? 'Devices' : 'Device', value: s.devices.length > 1 ? s.devices.join(', ') : s.device, mono: true },
    { term: 'Name', value: s.name },
    { term: 'Format', value: s.format },
    { term: 'Initiator IQN', value: s.initiator, mono: true },
    { term: 'Protocol version', value: s.protocolVersion },
    ...(s.adapter ? Object.entries(s.adapter).map(([k, v]) => ({ term: `Adapter ${k}`, value: v })) : []),
    ...(s.auth
      ? [
          { term: 'Auth type', value: s.auth.type },
          { term: 'Auth user', value: s.auth.username },
          { term: 'Auth secret', value: s.auth.secretUsage ?? s.auth.secretUuid, mono: true },
        ]
      : []),
  ].filter((f) => f.value !== undefined && f.value !== '');
  const perms = p.target.permissions;
  return (
    <div>
      <Section title="General">
        <Facts
          label="General"
          items={[
            { term: 'Name', value: p.name },
            { term: 'UUID', value: p.uuid, mono: true },
            { term: 'Type', value: p.type },
            { term: 'State', value: p.state },
            { term: 'Autostart', value: <YesNo value={p.autostart} /> },
            { term: 'Persistent', value: <YesNo value={p.persistent} /> },
            ...(dir && p.persistent ? [{ term: 'Config file on the host', value: `${dir}/${p.name}.xml`, mono: true }] : []),
            ...(dir && p.autostart ? [{ term: 'Autostart link', value: `${dir}/autostart/${p.name}.xml`, mono: true }] : []),
          ]}
        />
      </Section>
      <Section title="Size">
        <Facts
          label="Size"
          items={[
            { term: 'Capacity', value: formatBytes(p.capacity) },
            { term: 'Allocation', value: formatBytes(p.allocation) },
            { term: 'Available', value: formatBytes(p.available) },
            { term: 'Volumes', value: p.volumeCount ?? '—' },
            { term: 'Sum of volume capacities', value: p.volumeCapacity != null ? formatBytes(p.volumeCapacity) : '—' },
          ]}
        />
      </Section>
      <Section title="Source">
        {source.length > 0 ? (
          <Facts label="Source" items={source} />
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">No &lt;source&gt; element: a {p.type} pool keeps its volumes in the target path.</p>
        )}
      </Section>
      <Section title="Target">
        <Facts
          label="Target"
          items={[
            { term: 'Path', value: p.target.path, mono: true },
            { term: 'Mode', value: perms?.mode, mono: true },
            { term: 'Owner', value: perms?.owner },
            { term: 'Group', value: perms?.group },
            { term: 'Security label', value: perms?.label, mono: true },
          ]}
        />
      </Section>
      <Section title="Pool XML">
        <CodePanel title={`virsh pool-dumpxml ${p.name}`} code={xml} />
      </Section>
    </div>
  );
}

/**
 * Where libvirt keeps persistent pool definitions (and, under autostart/, a symlink per pool that
 * starts on boot): /etc/libvirt/storage for a system libvirt, ~/.config/libvirt/storage for a
 * user's session libvirt. Unknown for other drivers.
 */
function libvirtStorageDir(uri: string | undefined): string | null {
  if (!uri) return null;
  const path = uri.replace(/^[a-z+]+:\/\/[^/]*/, '').replace(/\?.*$/, '');
  if (path === '/system') return '/etc/libvirt/storage';
  if (path === '/session') return '~/.config/libvirt/storage';
  return null;
}
