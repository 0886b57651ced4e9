import 'server-only';

/**
 * The session cookie's name and flags (no database here: proxy.ts imports it). HttpOnly,
 * SameSite=Strict, Path=/; Secure with the `__Host-` prefix when KSC_PUBLIC_URL is https — the
 * console never sets a non-Secure session cookie for an https origin.
 */
export function secureCookies(): boolean {
  return (process.env.KSC_PUBLIC_URL ?? '').toLowerCase().startsWith('https:');
}

/** A cookie's name: `__Host-` + base behind https (Secure, Path=/, no Domain), the base otherwise. */
export const cookieName = (base: string) => (secureCookies() ? `__Host-${base}` : base);

/** Every cookie the console sets: HttpOnly, Path=/, the given SameSite, Secure behind https. */
export function consoleCookie(base: string, value: string, maxAgeSec: number, sameSite: 'Strict' | 'Lax'): string {
  const parts = [`${cookieName(base)}=${value}`, 'Path=/', 'HttpOnly', `SameSite=${sameSite}`, `Max-Age=${Math.max(0, Math.floor(maxAgeSec))}`];
  if (secureCookies()) parts.push('Secure');
  return parts.join('; ');
}

export const sessionCookieName = () => cookieName('ksc_session');
export const sessionCookie = (value: string, maxAgeSec: number) => consoleCookie('ksc_session', value, maxAgeSec, 'Strict');

export const clearSessionCookie = () => sessionCookie('', 0);

export function cookieValue(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim() || null;
  }
  return null;
}

