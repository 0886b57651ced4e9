import 'server-only';

/** Parsers for virsh's human-readable outputs (run with LC_ALL=C, so the words are English). */

/** `pool-info`, `dominfo`, `version`: "Key:   value" lines. */
export function parseKeyValues(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) map.set(m[1].trim(), m[2].trim());
  }
  return map;
}

/** Lines of a `--uuid`/`--name` listing. */
export function parseList(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

export interface VersionInfo {
  libvirtVersion: string | null;
  qemuVersion: string | null;
}

export function parseVersion(text: string): VersionInfo {
  const kv = parseKeyValues(text);
  const lib = kv.get('Using library')?.replace(/^libvirt\s+/, '') ?? null;
  const hyp = kv.get('Running hypervisor') ?? null;
  return { libvirtVersion: lib, qemuVersion: hyp?.replace(/^QEMU\s+/, '') ?? null };
}

/**
 * `vol-list --pool P` (virsh 9 has no `--name`): a table " Name   Path" whose columns are
 * padded with at least three spaces. A name may contain spaces, so for each row the split is
 * chosen at a run of 3+ spaces, preferring the one where the path ends with "/name" (file
 * pools); otherwise the last run (device pools: paths have no spaces).
 */
export function parseVolList(text: string): Array<{ name: string; path: string }> {
  const lines = text.split('\n');
  const sep = lines.findIndex((l) => /^-{5,}\s*$/.test(l));
  if (sep < 0) return [];
  const rows: Array<{ name: string; path: string }> = [];
  for (const raw of lines.slice(sep + 1)) {
    if (!raw.trim()) continue;
    // Only the leading space is table padding; a name may end in spaces (the path column follows).
    const line = raw.replace(/^ /, '').replace(/\r$/, '');
    const splits = [...line.matchAll(/ {3,}/g)].map((m) => ({ at: m.index, len: m[0].length }));
    if (!splits.length) {
      rows.push({ name: line, path: '' });
      continue;
    }
    // A name's own trailing spaces merge into the padding run: try each length they could have.
    const candidates = splits.flatMap((sp) =>
      Array.from({ length: sp.len - 2 }, (_, k) => ({ name: line.slice(0, sp.at + k), path: line.slice(sp.at + sp.len) })),
    );
    const last = splits[splits.length - 1];
    const best =
      candidates.find((c) => c.path.endsWith(`/${c.name}`)) ?? (last ? { name: line.slice(0, last.at), path: line.slice(last.at + last.len) } : undefined);
    if (best) rows.push(best);
  }
  return rows;
}
