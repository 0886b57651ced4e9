/**
 * Write search params without a server round trip. Next.js syncs native history calls into
 * useSearchParams, so the URL stays the source of truth (shareable, survives reload) while
 * typing in a filter does not re-render the server page on every key.
 */
export function replaceSearchParams(updates: Record<string, string | null | undefined>) {
  const params = new URLSearchParams(window.location.search);
  for (const [k, v] of Object.entries(updates)) {
    if (v == null || v === '') params.delete(k);
    else params.set(k, v);
  }
  const qs = params.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${qs ? `?${qs}` : ''}${window.location.hash}`);
}
