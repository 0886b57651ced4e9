'use client';

import { useCallback } from 'react';
import { usePools } from '@/lib/api/pools';
import { pageHrefs } from '@/lib/api/paths';
import { isFilePool } from '@/lib/pool-types';

/**
 * Path → volume page, for images named only by path (backing files, VM disk sources).
 * In dir and fs pools a volume is a file directly inside the pool's target directory, so the
 * directory identifies the pool and the file name the volume. Anything else (block devices,
 * nested directories, paths outside every pool) gets no link rather than a wrong one.
 */
export function useLocateVolume(hostId: string): (path: string) => string | null {
  const pools = usePools(hostId);
  return useCallback(
    (path: string) => {
      const slash = path.lastIndexOf('/');
      if (slash <= 0) return null;
      const dir = path.slice(0, slash).replace(/\/+$/, '');
      const file = path.slice(slash + 1);
      const pool = pools.data?.find(
        (p) => isFilePool(p.type) && p.target.path?.replace(/\/+$/, '') === dir,
      );
      return pool && file ? pageHrefs.volume(hostId, pool.name, file) : null;
    },
    [hostId, pools.data],
  );
}
