'use client';

import Link from 'next/link';
import { pageHrefs } from '@/lib/api/paths';
import { formatBytes } from '@/lib/format';
import type { VolumeDetailDto } from '@/lib/schemas';
import { tableCls as t } from '@/components/ui/table';
import { useLocateVolume } from './use-locate-volume';

/**
 * The image's ancestry as qemu-img sees it: this image, its backing file, …, the base, drawn
 * top to bottom; then the overlays that depend on this image. Writing to an image that has
 * overlays corrupts them, so the overlays are listed where nobody can miss them.
 */
export function BackingChain({ hostId, detail }: { hostId: string; detail: VolumeDetailDto }) {
  const locate = useLocateVolume(hostId);
  const { chain, overlays, chainError } = detail;
  return (
    <div className="space-y-4">
      {chainError && (
        <p role="alert" className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-200">
          qemu-img could not read the whole chain: <span className="font-mono text-xs">{chainError}</span>
        </p>
      )}
      {chain.length > 0 && (
        <ol aria-label="Backing chain" className="relative">
          {chain.map((img, i) => {
            const role = i === 0 ? 'This image' : i === chain.length - 1 ? 'Base image' : `Backing file ${i}`;
            const href = i === 0 ? null : locate(img.filename);
            return (
              <li key={`${i}-${img.filename}`} className="relative pl-6">
                {/* The connecting line and node, drawn beside each card. */}
                {i < chain.length - 1 && <span aria-hidden="true" className="absolute top-4 bottom-0 left-[0.4375rem] w-px bg-zinc-300 dark:bg-zinc-600" />}
                <span
                  aria-hidden="true"
                  className={`absolute top-3 left-0.5 size-2.5 rounded-full ring-2 ${i === 0 ? 'bg-sky-600 ring-sky-200 dark:ring-sky-900' : 'bg-zinc-400 ring-zinc-200 dark:bg-zinc-500 dark:ring-zinc-800'}`}
                />
                <div className={`rounded-md border px-3 py-2 ${i === 0 ? 'border-sky-300 bg-sky-50/60 dark:border-sky-800 dark:bg-sky-950/30' : 'border-zinc-200 dark:border-zinc-800'}`}>
                  <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                    <span className="text-xs font-semibold tracking-wide whitespace-nowrap text-zinc-500 uppercase dark:text-zinc-400">{role}</span>
                    <span className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
                      {img.format} · {formatBytes(img.virtualSize)} virtual{img.actualSize != null && ` · ${formatBytes(img.actualSize)} on disk`}
                    </span>
                  </div>
                  <p className="mt-0.5 truncate font-mono text-xs" title={img.filename}>
                    {href ? (
                      <Link href={href} className={t.link}>
                        {img.filename}
                      </Link>
                    ) : (
                      img.filename
                    )}
                  </p>
                </div>
                {i < chain.length - 1 && (
                  <p aria-hidden="true" className="py-1 pl-1 text-[0.6875rem] text-zinc-500 dark:text-zinc-400">
                    backed by ↓
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {chain.length === 1 && <p className="text-sm text-zinc-600 dark:text-zinc-400">No backing file: this image stands alone.</p>}

      <div>
        <h3 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Overlays backed by this image</h3>
        {overlays.length === 0 ? (
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">None: no volume on this host uses it as a backing file.</p>
        ) : (
          <>
            <ul aria-label="Overlays" className="mt-1 space-y-0.5 text-sm">
              {overlays.map((o) => (
                <li key={o.path} className="flex items-baseline gap-2">
                  <Link href={pageHrefs.volume(hostId, o.pool, o.name)} className={t.link}>
                    {o.name}
                  </Link>
                  <span className="truncate font-mono text-xs text-zinc-500" title={o.path}>
                    {o.pool} · {o.path}
                  </span>
                </li>
              ))}
            </ul>
            <p className="mt-1 text-xs text-amber-800 dark:text-amber-300">
              Do not write to this image while overlays depend on it: they would become invalid.
            </p>
          </>
        )}
      </div>

      <div>
        <h3 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Used by VMs</h3>
        {detail.volume.usedBy.length === 0 ? (
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">No VM on this host has it as a disk.</p>
        ) : (
          <ul aria-label="Used by VMs" className="mt-1 flex flex-wrap gap-2 text-sm">
            {detail.volume.usedBy.map((vm) => (
              <li key={vm}>
                <Link href={pageHrefs.vm(hostId, vm)} className={t.link}>
                  {vm}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
