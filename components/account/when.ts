/** An ISO time as `2026-11-30 18:58 UTC` (the console's one clock: UTC, minutes). */
export const when = (iso: string | null | undefined, none = '—'): string => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : none);

/** A user agent cut to what tells sessions apart: the browser and the system. */
export function browserOf(ua: string | null): string {
  if (!ua) return '—';
  const browser = /(Firefox|Edg|Chrome|Chromium|Safari|curl|node|Playwright)[/ ]?([\d.]*)/.exec(ua);
  const system = /(Windows|Mac OS X|Android|iPhone|Linux)/.exec(ua);
  return browser ? `${browser[1] === 'Edg' ? 'Edge' : browser[1]}${browser[2] ? ` ${browser[2].split('.')[0]}` : ''}${system ? ` on ${system[1]}` : ''}` : ua.slice(0, 40);
}
