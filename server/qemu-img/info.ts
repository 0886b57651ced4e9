import 'server-only';
import { z } from 'zod';
import type { ImageInfoDto } from '@/lib/schemas';
import { AppError } from '@/server/errors';

// qemu-img's JSON (QAPI ImageInfo), only the fields we show. Unknown keys are dropped; keys
// qemu leaves out when they do not apply are optional: actual-size (some protocols),
// cluster-size and format-specific (raw), backing-* (no backing file), encrypted (only
// printed when true), snapshots (none), icount (not recorded).
const Snapshot = z.object({
  id: z.string(),
  name: z.string(),
  'vm-state-size': z.int().nonnegative(),
  'date-sec': z.int(),
  'date-nsec': z.int().nonnegative(),
  'vm-clock-sec': z.int().nonnegative(),
  'vm-clock-nsec': z.int().nonnegative(),
  icount: z.int().optional(),
});

const RawImageInfo = z.object({
  filename: z.string(),
  format: z.string(),
  'virtual-size': z.int().nonnegative(),
  'actual-size': z.int().nonnegative().optional(),
  'cluster-size': z.int().positive().optional(),
  'dirty-flag': z.boolean().optional(),
  encrypted: z.boolean().optional(),
  'backing-filename': z.string().optional(),
  'full-backing-filename': z.string().optional(),
  'backing-filename-format': z.string().optional(),
  'format-specific': z
    .object({
      type: z.string(),
      data: z
        .object({
          compat: z.string().optional(), // qcow2: "0.10" or "1.1"
          'lazy-refcounts': z.boolean().optional(),
          'compression-type': z.string().optional(), // qcow2 with compat 1.1: zlib, zstd
          corrupt: z.boolean().optional(),
        })
        .optional(),
    })
    .optional(),
  snapshots: z.array(Snapshot).optional(),
});
type RawImageInfo = z.infer<typeof RawImageInfo>;

/** With `--backing-chain`, an array, top image first; without, one object. */
const RawChain = z.array(RawImageInfo).min(1);

/**
 * Parse `qemu-img info --output=json [--backing-chain]` into [image, its backing file, …].
 * Note: `backingFilename` is what the image header says and may be relative to the image's
 * directory (oa-disk0.qcow2 → "base-centos7.qcow2"); `fullBackingFilename` is resolved.
 */
export function parseImageInfo(json: string): ImageInfoDto[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (cause) {
    throw new AppError('bad-host-output', `qemu-img info printed something that is not JSON: ${String(cause)}`, {
      status: 502,
      cause,
      detail: { output: json.slice(0, 500) },
    });
  }
  // Chosen by shape rather than a zod union, so an error names the field, not "Invalid input".
  const parsed = RawChain.safeParse(Array.isArray(data) ? data : [data]);
  if (!parsed.success) {
    const where = (path: readonly PropertyKey[]) => path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
    const issues = parsed.error.issues.map((i) => `${where(i.path) || '(top)'}: ${i.message}`);
    throw new AppError('bad-host-output', `qemu-img info output is not as expected: ${issues.join('; ')}`, {
      status: 502,
      detail: { issues: parsed.error.issues },
    });
  }
  return parsed.data.map(reshape);
}

function reshape(raw: RawImageInfo): ImageInfoDto {
  const data = raw['format-specific']?.data;
  return {
    filename: raw.filename,
    format: raw.format,
    virtualSize: raw['virtual-size'],
    actualSize: raw['actual-size'] ?? null,
    clusterSize: raw['cluster-size'] ?? null,
    dirty: raw['dirty-flag'] ?? false,
    encrypted: raw.encrypted ?? false,
    backingFilename: raw['backing-filename'] ?? null,
    fullBackingFilename: raw['full-backing-filename'] ?? null,
    backingFormat: raw['backing-filename-format'] ?? null,
    compat: data?.compat ?? null,
    lazyRefcounts: data?.['lazy-refcounts'] ?? null,
    compressionType: data?.['compression-type'] ?? null,
    corrupt: data?.corrupt ?? null,
    snapshots: (raw.snapshots ?? []).map((s) => ({
      id: s.id,
      name: s.name,
      vmStateSize: s['vm-state-size'],
      date: new Date(s['date-sec'] * 1000 + Math.floor(s['date-nsec'] / 1e6)).toISOString(),
      vmClock: formatVmClock(s['vm-clock-sec'], s['vm-clock-nsec']),
      icount: s.icount ?? null,
    })),
  };
}

/** The guest clock at the snapshot, as `qemu-img snapshot -l` prints it: HH:MM:SS.mmm (hours may pass 24). */
export function formatVmClock(sec: number, nsec: number): string {
  const ms = Math.floor(nsec / 1e6);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(sec / 3600))}:${two(Math.floor(sec / 60) % 60)}:${two(sec % 60)}.${String(ms).padStart(3, '0')}`;
}
