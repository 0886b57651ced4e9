'use client';

import { btn } from '@/components/ui/styles';

/** "Load older records" under a list paged by `before` (nothing when the oldest is shown). */
export function LoadOlder({ q }: { q: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  if (!q.hasNextPage) return null;
  return (
    <div className="mt-2 flex justify-center">
      <button type="button" className={btn.small} disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
        {q.isFetchingNextPage ? 'Loading…' : 'Load older records'}
      </button>
    </div>
  );
}
