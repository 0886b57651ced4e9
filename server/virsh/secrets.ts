import 'server-only';
import { runChecked } from '../commands/run';
import { call, virsh } from '../commands/virsh';
import type { Transport } from '../transport/types';

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
