import { fillLevel, formatBytes, formatPercent, formatRatio, percent } from '@/lib/format';

const FILL = {
  calm: 'bg-sky-600 dark:bg-sky-500',
  warn: 'bg-amber-500 dark:bg-amber-400',
  full: 'bg-red-600 dark:bg-red-500',
} as const;

interface Props {
  allocation: number;
  capacity: number;
  /** Sum of volume capacities: when above `capacity` the pool is overcommitted, drawn as overflow. */
  provisioned?: number | null;
  /** What the bar measures, for screen readers ("Pool vm capacity"). */
  label: string;
  /** Show "12.0 GiB of 50.0 GiB" under the bar. */
  showText?: boolean;
  /** Say "N% provisioned" beside the text (off where a table has its own column for it). */
  provisionedText?: boolean;
  /** A visible caption above the bar, for bars that stand alone (page headers). */
  caption?: string;
  className?: string;
}

/**
 * Allocation against capacity, coloured by fill (calm < 70 %, amber < 90 %, red above).
 * Thin provisioning: a second, thinner track shows the sum of volume capacities; the part
 * promised beyond the pool's size is hatched red.
 */
export function CapacityBar({ allocation, capacity, provisioned, label, showText = true, provisionedText = true, caption, className = '' }: Props) {
  const p = percent(allocation, capacity);
  const width = Math.min(100, Math.max(0, p ?? 0));
  const level = fillLevel(allocation, capacity);
  const over = provisioned != null && capacity > 0 && provisioned > capacity;
  const text = capacity > 0 ? `${formatBytes(allocation)} of ${formatBytes(capacity)} (${formatPercent(allocation, capacity)})` : 'capacity unknown';
  return (
    <div className={`min-w-0 ${className}`}>
      {caption && (
        <p className="mb-1 text-[0.6875rem] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{caption}</p>
      )}
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={capacity}
        aria-valuenow={Math.min(allocation, capacity)}
        aria-valuetext={text}
        className="h-2 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-700"
      >
        <div className={`h-full rounded-full ${FILL[level]}`} style={{ width: `${width}%` }} />
      </div>
      {provisioned != null && capacity > 0 && <ProvisionedTrack provisioned={provisioned} capacity={capacity} />}
      {showText && (
        <div className="mt-1 flex justify-between gap-2 text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
          <span className="truncate">{text}</span>
          {provisionedText && provisioned != null && capacity > 0 && (
            <span
              className={`shrink-0 ${over ? 'font-medium text-red-700 dark:text-red-400' : ''}`}
              title="Sum of the volumes' capacities (thin provisioning): the thin lower track"
            >
              {over ? `overcommitted ${formatRatio(provisioned, capacity)}` : `${formatPercent(provisioned, capacity)} provisioned`}
            </span>
          )}
        </div>
      )}
    </div>
  );
}

function ProvisionedTrack({ provisioned, capacity }: { provisioned: number; capacity: number }) {
  const scale = Math.max(provisioned, capacity);
  const inside = (Math.min(provisioned, capacity) / scale) * 100;
  const cap = (capacity / scale) * 100;
  const overflow = provisioned > capacity ? ((provisioned - capacity) / scale) * 100 : 0;
  return (
    <div
      className="relative mt-0.5 h-1 w-full"
      title={`Provisioned: ${formatBytes(provisioned)} of ${formatBytes(capacity)} (${formatPercent(provisioned, capacity)})`}
      aria-hidden="true"
    >
      <div className="absolute inset-y-0 left-0 rounded-l-full bg-zinc-200 dark:bg-zinc-700" style={{ width: `${cap}%` }} />
      <div className="absolute inset-y-0 left-0 rounded-l-full bg-zinc-400 dark:bg-zinc-500" style={{ width: `${inside}%` }} />
      {overflow > 0 && (
        <div className="hatch absolute inset-y-0 rounded-r-full text-red-500" style={{ left: `${cap}%`, width: `${overflow}%` }} />
      )}
    </div>
  );
}
