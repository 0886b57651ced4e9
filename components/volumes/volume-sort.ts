import { naturalCompare } from '@/lib/natural-sort';
import type { VolumeDto } from '@/lib/schemas';

export const SORT_KEYS = ['name', 'format', 'capacity', 'allocation', 'backing', 'usedBy', 'path'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

export function parseSortKey(v: string | null): SortKey {
  return (SORT_KEYS as readonly string[]).includes(v ?? '') ? (v as SortKey) : 'name';
}

export const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1) || path;

/** Text of a column for sorting; '' means "no value" and always sorts last. */
function text(v: VolumeDto, key: Exclude<SortKey, 'capacity' | 'allocation'>): string {
  switch (key) {
    case 'name':
      return v.name;
    case 'format':
      return v.format ?? '';
    case 'backing':
      return v.backingStore ? baseName(v.backingStore.path) : '';
    case 'usedBy':
      return v.usedBy.join(', ');
    case 'path':
      return v.path;
  }
}

/** Sorted copy; names break ties so equal sizes still come out in a stable, natural order. */
export function sortVolumes(volumes: readonly VolumeDto[], key: SortKey, dir: SortDir): VolumeDto[] {
  const sign = dir === 'asc' ? 1 : -1;
  const cmp = (a: VolumeDto, b: VolumeDto): number => {
    if (key === 'capacity' || key === 'allocation') {
      const d = a[key] - b[key];
      if (d !== 0) return sign * d;
    } else if (key !== 'name') {
      const ta = text(a, key);
      const tb = text(b, key);
      if (ta === '' || tb === '') {
        if (ta !== tb) return ta === '' ? 1 : -1;
      } else {
        const d = naturalCompare(ta, tb);
        if (d !== 0) return sign * d;
      }
    }
    return (key === 'name' ? sign : 1) * naturalCompare(a.name, b.name);
  };
  return [...volumes].sort(cmp);
}

/** Every whitespace-separated term must appear (case-insensitively) in the name, format, path, backing file or a VM name. */
export function filterVolumes(volumes: readonly VolumeDto[], haystacks: readonly string[], query: string): VolumeDto[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return volumes as VolumeDto[];
  const out: VolumeDto[] = [];
  for (let i = 0; i < volumes.length; i++) {
    const h = haystacks[i]!;
    if (terms.every((t) => h.includes(t))) out.push(volumes[i]!);
  }
  return out;
}

export function haystack(v: VolumeDto): string {
  return [v.name, v.format ?? '', v.path, v.backingStore?.path ?? '', ...v.usedBy].join('\u0000').toLowerCase();
}
