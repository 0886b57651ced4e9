/**
 * Sizes as people type them ("10G", "512M", "1.5T", "4096") ⇄ bytes. Suffixes are powers of
 * 1024, as qemu-img reads them (k/K, M, G, T, P, E; an optional "iB"/"B" is accepted), so
 * "10G" here is exactly what `qemu-img create … 10G` would make.
 */
const POW: Record<string, number> = { '': 0, K: 1, M: 2, G: 3, T: 4, P: 5, E: 6 };

export function parseSize(input: string | number): number | null {
  if (typeof input === 'number') return Number.isSafeInteger(input) && input >= 0 ? input : null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtTpPeE]?)(?:i?[bB])?\s*$/.exec(input);
  if (!m) return null;
  const n = Number(m[1]) * 1024 ** (POW[(m[2] ?? '').toUpperCase()] ?? 0);
  if (!Number.isFinite(n)) return null;
  const bytes = Math.round(n);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/** Bytes in the shortest exact qemu-img form: 10737418240 → "10G", 1536 → "1536". */
export function toQemuSize(bytes: number): string {
  for (const [s, p] of [['E', 6], ['P', 5], ['T', 4], ['G', 3], ['M', 2], ['K', 1]] as const) {
    const unit = 1024 ** p;
    if (bytes >= unit && bytes % unit === 0) return `${bytes / unit}${s}`;
  }
  return String(bytes);
}
