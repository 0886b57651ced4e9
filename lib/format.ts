/**
 * Display formatting shared by every table and card. One unit system everywhere: IEC
 * (powers of 1024, labelled KiB/MiB/GiB …), because libvirt and qemu-img count in those and
 * mixing GB with GiB is exactly the confusion the UI must not add.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

/**
 * Bytes as an IEC string: "0 B", "512 B", "1.0 KiB", "10.5 GiB", "512 MiB".
 * One decimal below 100 of a unit, none from 100 up (three significant digits is what a
 * table column can compare at a glance). Bytes are always whole.
 */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (n < 0) return `-${formatBytes(-n)}`;
  if (n < 1024) return `${Math.round(n)} B`;
  let unit = 0;
  let value = n;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  let text = value < 100 ? value.toFixed(1) : value.toFixed(0);
  // 1023.96 MiB rounds to "1024 MiB": say "1.0 GiB" instead.
  if (Number(text) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
    text = value.toFixed(1);
  }
  return `${text} ${UNITS[unit]}`;
}

/** part / whole × 100, or null when the whole is zero or unknown (a pool that is not running). */
export function percent(part: number, whole: number): number | null {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole <= 0) return null;
  return (part / whole) * 100;
}

/** "42%", "<1%" for a non-zero sliver, "—" when unknown. Not clamped: 180% means overcommitted. */
export function formatPercent(part: number, whole: number): string {
  const p = percent(part, whole);
  if (p === null) return '—';
  if (p > 0 && p < 1) return '<1%';
  return `${Math.round(p)}%`;
}

/** A ratio such as 1.8× for thin-provisioning overcommit. */
export function formatRatio(part: number, whole: number): string {
  if (whole <= 0) return '—';
  return `${(part / whole).toFixed(1)}×`;
}

/** Fill level of a capacity bar, by the UI's rule: calm under 70 %, amber to 90 %, red above. */
export type FillLevel = 'calm' | 'warn' | 'full';
export function fillLevel(part: number, whole: number): FillLevel {
  const p = percent(part, whole) ?? 0;
  if (p < 70) return 'calm';
  if (p < 90) return 'warn';
  return 'full';
}

/** Whole numbers with thousands separators, locale-independent so SSR and browser agree. */
export function formatCount(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
