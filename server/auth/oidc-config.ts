import 'server-only';

/**
 * OpenID Connect sign-in, configured by environment (docs/OPERATIONS.md, "OpenID Connect"):
 * - KSC_OIDC_ISSUER        the provider's issuer URL (discovery at ISSUER/.well-known/openid-configuration);
 *                          https, or http on a loopback address only
 * - KSC_OIDC_CLIENT_ID     the console's client id at the provider
 * - KSC_OIDC_CLIENT_SECRET its secret (client_secret_basic); without one the console is a public client (PKCE only)
 * - KSC_OIDC_REDIRECT_URL  default `${KSC_PUBLIC_URL}/api/auth/oidc/callback` (else the URL the request came to)
 * - KSC_OIDC_GROUPS_CLAIM  default `groups`; a dotted path reaches into objects (`realm_access.roles`)
 * - KSC_OIDC_SCOPES        default `openid profile email groups`
 * - KSC_OIDC_LABEL         the sign-in button's provider name (default "single sign-on")
 * - KSC_OIDC_ROLE_MAP      `group=role,…` on every host (server/auth/oidc-roles.ts)
 * Unset issuer or client id: OIDC is off (the providers endpoint says so, start/callback answer 404).
 */
export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string | null;
  /** Null: derived from the request (or KSC_PUBLIC_URL) at sign-in. */
  redirectUrl: string | null;
  groupsClaim: string;
  scopes: string;
  label: string;
  /** http on loopback (a provider on the same machine, the tests' provider). */
  insecure: boolean;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/i;

export class OidcConfigError extends Error {}

/** The settings, or null when OIDC is not configured. Throws OidcConfigError for a configuration that cannot work. */
export function oidcSettings(env: Readonly<Record<string, string | undefined>> = process.env): OidcSettings | null {
  const issuerText = env.KSC_OIDC_ISSUER?.trim();
  const clientId = env.KSC_OIDC_CLIENT_ID?.trim();
  if (!issuerText || !clientId) return null;
  let issuer: URL;
  try {
    issuer = new URL(issuerText);
  } catch {
    throw new OidcConfigError(`KSC_OIDC_ISSUER “${issuerText}” is not a URL`);
  }
  const insecure = issuer.protocol === 'http:';
  if (insecure && !LOOPBACK.test(issuer.hostname)) throw new OidcConfigError(`KSC_OIDC_ISSUER must be https (http only on a loopback address): ${issuerText}`);
  if (issuer.protocol !== 'https:' && !insecure) throw new OidcConfigError(`KSC_OIDC_ISSUER must be an https URL: ${issuerText}`);
  const publicUrl = env.KSC_PUBLIC_URL?.trim().replace(/\/+$/, '');
  const redirectUrl = env.KSC_OIDC_REDIRECT_URL?.trim() || (publicUrl ? `${publicUrl}/api/auth/oidc/callback` : null);
  if (redirectUrl) {
    try {
      new URL(redirectUrl);
    } catch {
      throw new OidcConfigError(`KSC_OIDC_REDIRECT_URL “${redirectUrl}” is not a URL`);
    }
  }
  return {
    issuer,
    clientId,
    clientSecret: env.KSC_OIDC_CLIENT_SECRET?.trim() || null,
    redirectUrl,
    groupsClaim: env.KSC_OIDC_GROUPS_CLAIM?.trim() || 'groups',
    scopes: env.KSC_OIDC_SCOPES?.trim() || 'openid profile email groups',
    label: env.KSC_OIDC_LABEL?.trim() || 'single sign-on',
    insecure,
  };
}

/** What the login page may know: the button's label, or null when OIDC is off (or misconfigured: the log says why). */
let reported: string | null = null;
export function oidcPublicInfo(): { label: string } | null {
  try {
    const s = oidcSettings();
    return s ? { label: s.label } : null;
  } catch (e) {
    const message = (e as Error).message;
    if (reported !== message) console.error(`OpenID Connect is configured but unusable: ${(reported = message)}`);
    return null;
  }
}
