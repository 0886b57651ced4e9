import 'server-only';
import { runChecked } from '../commands/run';
import { call, virsh } from '../commands/virsh';
import type { Step } from '../operations/plan';
import type { Transport } from '../transport/types';
import { escapeXml } from '../xml/escape';

/**
 * `virsh secret-list` rows: " <uuid>   <usage type> <usage id>". virsh looks secrets up by UUID
 * only, so finding a volume's LUKS secret (usage "volume /path") means reading this list.
 */
export function parseSecretList(out: string): Array<{ uuid: string; usage: string }> {
  const rows: Array<{ uuid: string; usage: string }> = [];
  for (const line of out.split('\n')) {
    const m = /^\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\s+(.*?)\s*$/i.exec(line);
    if (m) rows.push({ uuid: m[1]!, usage: m[2]! });
  }
  return rows;
}

/** The UUID of the libvirt secret whose usage is the volume at `path`, if any. */
export async function volumeSecret(t: Transport, uri: string, path: string): Promise<string | null> {
  const r = await runChecked(t, virsh(uri, call('secret-list')), 'Listing libvirt secrets', { timeoutMs: 30_000 });
  return parseSecretList(r.stdout).find((s) => s.usage === `volume ${path}`)?.uuid ?? null;
}

/**
 * The one place a libvirt secret's XML is written (pool CHAP passwords, LUKS passphrases); every
 * value goes through `escapeXml`. Private: libvirt never hands the value back.
 */
export function secretXml(s: { uuid: string; usage: { type: 'iscsi'; target: string } | { type: 'volume'; volume: string }; description?: string }): string {
  const usage = s.usage.type === 'iscsi' ? `    <target>${escapeXml(s.usage.target)}</target>` : `    <volume>${escapeXml(s.usage.volume)}</volume>`;
  return [
    `<secret ephemeral='no' private='yes'>`,
    `  <uuid>${escapeXml(s.uuid)}</uuid>`,
    ...(s.description ? [`  <description>${escapeXml(s.description)}</description>`] : []),
    `  <usage type='${s.usage.type}'>`,
    usage,
    `  </usage>`,
    `</secret>`,
    '',
  ].join('\n');
}

/**
 * Define a secret from its XML (undone by `secret-undefine` when a later step fails), then set its
 * value from stdin: a `secret` step, never shown, never in argv.
 */
export function secretSteps(uri: string, uuid: string, xml: string, value: string, titles: { define: string; value: string }): [Step, Step] {
  return [
    {
      id: 'secret-define',
      title: titles.define,
      inv: virsh(uri, call('secret-define', '--file', '/dev/stdin')),
      stdin: xml,
      undo: { id: 'undo-secret', title: 'Remove the secret', inv: virsh(uri, call('secret-undefine', '--', uuid)) },
    },
    { id: 'secret-value', title: titles.value, inv: virsh(uri, call('secret-set-value', '--secret', uuid, '--file', '/dev/stdin', '--plain')), stdin: value, secret: true },
  ];
}
