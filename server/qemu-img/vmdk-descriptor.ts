import 'server-only';
import path from 'node:path';
import { z } from 'zod';
import type { VmdkDescriptorDto } from '@/lib/schemas';

/**
 * VMware disks as qemu-img and the vmdk descriptor describe them. Pure parsing, no I/O:
 * - `qemu-img info --output=json` puts the vmdk facts under format-specific.data (create-type
 *   is the subformat, extents the data files); it only gets there when every extent opens.
 * - The descriptor (text: a file of its own for monolithicFlat/twoGbMaxExtent*, embedded at
 *   sector 1 of sparse and streamOptimized files) names the extents even when they are missing,
 *   and carries ddb.adapterType, which qemu-img info does not print.
 */

const RawExtent = z.object({
  filename: z.string(),
  format: z.string().optional(),
  'virtual-size': z.number().optional(),
  'cluster-size': z.number().optional(),
  compressed: z.boolean().optional(),
});
const RawVmdkInfo = z.object({
  format: z.string(),
  'format-specific': z
    .object({
      type: z.string(),
      data: z
        .object({
          'create-type': z.string().optional(),
          cid: z.number().optional(),
          'parent-cid': z.number().optional(),
          extents: z.array(RawExtent).optional(),
        })
        .optional(),
    })
    .optional(),
});

export interface VmdkInfo {
  createType: string | null;
  cid: number | null;
  parentCid: number | null;
  extents: Array<{ path: string; type: string; virtualSize: number | null; compressed: boolean }>;
}

/** The vmdk part of `qemu-img info --output=json` (the top image of a chain); null for any other format. */
export function parseVmdkInfo(json: string): VmdkInfo | null {
  const data: unknown = JSON.parse(json);
  const top = Array.isArray(data) ? (data[0] as unknown) : data;
  const raw = RawVmdkInfo.safeParse(top);
  if (!raw.success || raw.data.format !== 'vmdk') return null;
  const d = raw.data['format-specific']?.type === 'vmdk' ? raw.data['format-specific'].data : undefined;
  return {
    createType: d?.['create-type'] ?? null,
    cid: d?.cid ?? null,
    parentCid: d?.['parent-cid'] ?? null,
    extents: (d?.extents ?? []).map((e) => ({ path: e.filename, type: e.format ?? '', virtualSize: e['virtual-size'] ?? null, compressed: e.compressed ?? false })),
  };
}

/** A vmdk with no parent has parentCID ffffffff (4294967295). */
export const NO_PARENT_CID = 0xffffffff;

const DESCRIPTOR_MARK = '# Disk DescriptorFile';
const MAX_DESCRIPTOR = 8192;

/**
 * Find the descriptor in the first bytes of a file (read with `head -c`): the text from
 * "# Disk DescriptorFile" to the first NUL. A file that is a descriptor of its own may start
 * without the comment, with `version=1`. Null when there is none.
 */
export function extractDescriptor(head: string): string | null {
  let start = head.indexOf(DESCRIPTOR_MARK);
  if (start < 0) {
    if (!/^\s*version\s*=\s*\d/.test(head)) return null;
    start = 0;
  }
  let end = head.indexOf('\u0000', start);
  if (end < 0) end = head.length;
  return head.slice(start, Math.min(end, start + MAX_DESCRIPTOR));
}

const unquote = (s: string) => s.trim().replace(/^"(.*)"$/, '$1');

/** Parse descriptor text: header keys, extent lines (`RW 131072 FLAT "x-flat.vmdk" 0`), ddb.* entries. */
export function parseDescriptor(text: string): VmdkDescriptorDto {
  const keys = new Map<string, string>();
  const extents: VmdkDescriptorDto['extents'] = [];
  const ddb: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const ext = /^(RW|RDONLY|NOACCESS)\s+(\d+)\s+([A-Za-z]+)(?:\s+"([^"]*)")?(?:\s+(\d+))?/.exec(line);
    if (ext) {
      extents.push({ access: ext[1]!, sectors: Number(ext[2]), type: ext[3]!, file: ext[4] ?? null, offset: ext[5] !== undefined ? Number(ext[5]) : null });
      continue;
    }
    const kv = /^([A-Za-z][\w.]*)\s*=\s*(.*)$/.exec(line);
    if (!kv) continue;
    const key = kv[1]!;
    const value = unquote(kv[2]!);
    if (key.startsWith('ddb.')) ddb[key.slice(4)] = value;
    else keys.set(key.toLowerCase(), value);
  }
  return {
    version: keys.get('version') ?? null,
    createType: keys.get('createtype') ?? null,
    cid: keys.get('cid') ?? null,
    parentCid: keys.get('parentcid') ?? null,
    parentFileNameHint: keys.get('parentfilenamehint') ?? null,
    extents,
    ddb,
    text,
  };
}

/** An extent name from a descriptor, as qemu opens it: relative to the descriptor's directory. */
export function resolveExtent(descriptorPath: string, file: string): string {
  return path.posix.resolve(path.posix.dirname(descriptorPath), file);
}

/** True when `p` lies inside `dir` (after normalisation: `..` cannot climb out unnoticed). */
export function isInside(dir: string, p: string): boolean {
  const rel = path.posix.relative(path.posix.resolve(dir), path.posix.resolve(p));
  return rel !== '' && !rel.startsWith('..') && !path.posix.isAbsolute(rel);
}

export { descriptorNameOfExtent } from '@/lib/vmdk-names';

/** `qemu-img measure --output=json`. */
export function parseMeasure(json: string): { required: number; fullyAllocated: number } {
  const m = z.object({ required: z.number(), 'fully-allocated': z.number() }).parse(JSON.parse(json));
  return { required: m.required, fullyAllocated: m['fully-allocated'] };
}

/** `stat -L --printf '%s %n\n' -- a b …`: sizes of the files that exist (missing ones only go to stderr). */
export function parseStatSizes(stdout: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const m = /^(\d+) (.+)$/.exec(line);
    if (m) out.set(m[2]!, Number(m[1]));
  }
  return out;
}
