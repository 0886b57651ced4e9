/**
 * The session cookie's name and flags (no database here: proxy.ts imports it). HttpOnly,
 * SameSite=Strict, Path=/; Secure with the `__Host-` prefix when KSC_PUBLIC_URL is https — the
 * console never sets a non-Secure session cookie for an https origin.
 */
export function secureCookies(): boolean {
  return (process.env.KSC_PUBLIC_URL ?? '').toLowerCase().startsWith('https:');
}

export const sessionCookieName = () => (secureCookies() ? '__Host-ksc_session' : 'ksc_session');

export function sessionCookie(value: string, maxAgeSec: number): string {
  const parts = [`${sessionCookieName()}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(maxAgeSec))}`];
  if (secureCookies()) parts.push('Secure');
  return parts.join('; ');
}

export const clearSessionCookie = () => sessionCookie('', 0);

export function cookieValue(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim() || null;
  }
  return null;
}

