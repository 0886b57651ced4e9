import 'server-only';
import * as client from 'openid-client';
import { noteAudit } from '../route';
import { oidcAccount } from './oidc-account';
import { oidcSettings, OidcConfigError, type OidcSettings } from './oidc-config';
import { OidcFailure } from './oidc-failure';
import { consoleCookie, cookieName, cookieValue } from './cookies';
import { createSession } from './sessions';

/**
 * Single sign-on with OpenID Connect (authorization code flow with PKCE S256, state and nonce),
 * through openid-client. Two steps, both plain GET navigations of the browser:
 *
 * 1. `startSignIn` (GET /api/auth/oidc/start?next=/path): a new state, nonce and PKCE verifier go
 *    into a short-lived cookie (HttpOnly, SameSite=Lax so that it comes back on the provider's
 *    top-level redirect, `__Host-` and Secure behind https, 10 minutes); the browser goes to the
 *    provider's authorization endpoint.
 * 2. `finishSignIn` (GET /api/auth/oidc/callback): the cookie must be there and its state must be
 *    the one the provider sent back; openid-client exchanges the code (with the verifier), checks
 *    the ID token (signature, issuer, audience, nonce); the claims (`sub`, `preferred_username`,
 *    `name`, the groups claim — from the ID token, else from userinfo) become the console account
 *    (server/auth/oidc-account.ts) and a session carrying the groups, whose roles come from
 *    grantsFor (database grants plus KSC_OIDC_ROLE_MAP). The cookie is cleared either way.
 *
 * Every ending is an audit record `auth.oidc` (the route is audited although it is a GET).
 */

const TX_MAX_AGE_SEC = 600;
const txCookieName = () => cookieName('ksc_oidc');
// Lax: the provider's redirect back is a cross-site navigation, which a Strict cookie would miss.
const txCookie = (value: string, maxAgeSec: number) => consoleCookie('ksc_oidc', value, maxAgeSec, 'Lax');
export const clearTxCookie = () => txCookie('', 0);

/** What the browser keeps between the two steps. */
interface Tx {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  next: string;
  /** ms since the epoch */
  expires: number;
}

function encodeTx(tx: Tx): string {
  return Buffer.from(JSON.stringify(tx)).toString('base64url');
}

function decodeTx(v: string | null): Tx | null {
  if (!v || v.length > 4096) return null;
  try {
    const t = JSON.parse(Buffer.from(v, 'base64url').toString('utf8')) as Partial<Tx>;
    const strings = [t.state, t.nonce, t.verifier, t.redirectUri, t.next];
    if (!strings.every((s) => typeof s === 'string' && s.length > 0) || typeof t.expires !== 'number' || !URL.canParse(t.redirectUri!)) return null;
    return { ...(t as Tx), next: safeNext(t.next) };
  } catch {
    return null;
  }
}

/**
 * Where to go after signing in: a path on this console only (`/hosts/lab?tab=pools`); anything
 * else (another origin, `//evil`, `/\evil`, a login loop) is `/`.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || next.length > 2000 || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f\u007f]/.test(next)) return '/';
  let u: URL;
  try {
    u = new URL(next, 'http://console.invalid');
  } catch {
    return '/';
  }
  if (u.origin !== 'http://console.invalid') return '/';
  if (u.pathname === '/login' || u.pathname.startsWith('/api/auth/')) return '/';
  return `${u.pathname}${u.search}${u.hash}`;
}

// Discovery, once per process and configuration (a failure is not kept: the next sign-in retries).
const g = globalThis as { __kscOidc?: { key: string; config: Promise<client.Configuration> } };

function configuration(s: OidcSettings): Promise<client.Configuration> {
  const key = JSON.stringify([s.issuer.href, s.clientId, s.clientSecret]);
  if (g.__kscOidc?.key === key) return g.__kscOidc.config;
  const config = client.discovery(
    s.issuer,
    s.clientId,
    s.clientSecret ?? undefined,
    s.clientSecret ? client.ClientSecretBasic(s.clientSecret) : client.None(),
    { execute: s.insecure ? [client.allowInsecureRequests] : [], timeout: 10 },
  );
  g.__kscOidc = { key, config };
  config.catch(() => {
    if (g.__kscOidc?.config === config) delete g.__kscOidc;
  });
  return config;
}

/** For tests: forget the discovered provider (a new provider on the same issuer URL). */
export function forgetOidcDiscovery(): void {
  delete g.__kscOidc;
}

function settingsOrFail(): OidcSettings {
  let s: OidcSettings | null;
  try {
    s = oidcSettings();
  } catch (e) {
    if (e instanceof OidcConfigError) {
      console.error(`OpenID Connect: ${e.message}`);
      throw new OidcFailure('oidc-unavailable', { reason: e.message });
    }
    throw e;
  }
  if (!s) throw new OidcFailure('oidc-off');
  return s;
}

async function configurationOrFail(s: OidcSettings): Promise<client.Configuration> {
  try {
    return await configuration(s);
  } catch (e) {
    console.error(`OpenID Connect: discovery at ${s.issuer.href} failed: ${(e as Error).message}`);
    throw new OidcFailure('oidc-unavailable', { reason: `discovery failed: ${(e as Error).message}` }, { cause: e });
  }
}

/** Step 1: the provider's URL to send the browser to, and the cookie that remembers this attempt. */
export async function startSignIn(req: Request): Promise<{ location: string; setCookie: string }> {
  const s = settingsOrFail();
  const config = await configurationOrFail(s);
  const url = new URL(req.url);
  const tx: Tx = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier: client.randomPKCECodeVerifier(),
    redirectUri: s.redirectUrl ?? new URL('/api/auth/oidc/callback', url.origin).href,
    next: safeNext(url.searchParams.get('next')),
    expires: Date.now() + TX_MAX_AGE_SEC * 1000,
  };
  const location = client.buildAuthorizationUrl(config, {
    redirect_uri: tx.redirectUri,
    scope: s.scopes,
    state: tx.state,
    nonce: tx.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(tx.verifier),
    code_challenge_method: 'S256',
  });
  return { location: location.href, setCookie: txCookie(encodeTx(tx), TX_MAX_AGE_SEC) };
}

/** A claim by name, or by a dotted path into objects (`realm_access.roles`). */
function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let v: unknown = claims;
  for (const part of path.split('.')) {
    if (!v || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, part)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** The groups claim as a list of names: an array of strings, or one string. */
export function groupsFrom(claims: Record<string, unknown>, path: string): string[] | null {
  const v = claimAt(claims, path);
  if (v === undefined || v === null) return null;
  const list = Array.isArray(v) ? v : [v];
  const names = list.filter((x): x is string => typeof x === 'string' && x.length > 0 && x.length <= 256);
  return [...new Set(names)].slice(0, 500);
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

export interface SignedIn {
  cookieValue: string;
  expiresAt: string;
  username: string;
  next: string;
}

/**
 * Step 2. Throws OidcFailure for every refusal (the route turns it into /login?error=CODE);
 * either way the transaction cookie is to be cleared (`clearTxCookie`).
 */
export async function finishSignIn(req: Request, meta: { sourceAddress: string | null; userAgent: string | null }): Promise<SignedIn> {
  noteAudit({ operation: 'auth.oidc', objectKind: 'user' });
  const s = settingsOrFail();
  const url = new URL(req.url);
  const tx = decodeTx(cookieValue(req.headers.get('cookie'), txCookieName()));
  const returned = url.searchParams.get('state');
  if (!tx) throw new OidcFailure('oidc-state', { reason: 'no sign-in in progress in this browser (the cookie is missing)' });
  if (tx.expires <= Date.now()) throw new OidcFailure('oidc-state', { reason: 'the sign-in expired' });
  if (returned !== tx.state) throw new OidcFailure('oidc-state', { reason: 'the state sent back is not the one this browser started with' });
  const providerError = url.searchParams.get('error');
  if (providerError) {
    const description = url.searchParams.get('error_description')?.slice(0, 300) ?? null;
    throw new OidcFailure(providerError === 'access_denied' ? 'oidc-denied' : 'oidc-provider-error', { providerError: providerError.slice(0, 100), description });
  }
  const config = await configurationOrFail(s);
  // The URL the provider redirected to, as registered (behind a proxy req.url has another origin).
  const current = new URL(tx.redirectUri);
  current.search = url.search;
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(config, current, { pkceCodeVerifier: tx.verifier, expectedState: tx.state, expectedNonce: tx.nonce, idTokenExpected: true });
  } catch (e) {
    if (e instanceof client.AuthorizationResponseError)
      throw new OidcFailure(e.error === 'access_denied' ? 'oidc-denied' : 'oidc-provider-error', { providerError: e.error, description: e.error_description ?? null }, { cause: e });
    const reason = (e as Error).message;
    console.error(`OpenID Connect: the code exchange failed: ${reason}`);
    throw new OidcFailure('oidc-failed', { reason }, { cause: e });
  }
  const idClaims = tokens.claims();
  if (!idClaims) throw new OidcFailure('oidc-failed', { reason: 'no ID token' });
  let claims: Record<string, unknown> = { ...idClaims };
  // Many providers put profile and group claims only in userinfo (OIDC Core 5.4 for the code flow).
  if ((groupsFrom(claims, s.groupsClaim) === null || !str(claims.preferred_username)) && config.serverMetadata().userinfo_endpoint) {
    try {
      const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      claims = { ...info, ...idClaims };
    } catch (e) {
      const reason = (e as Error).message;
      console.error(`OpenID Connect: userinfo failed: ${reason}`);
      throw new OidcFailure('oidc-failed', { reason: `userinfo: ${reason}` }, { cause: e });
    }
  }
  const groups = groupsFrom(claims, s.groupsClaim) ?? [];
  const identity = {
    issuer: idClaims.iss,
    sub: idClaims.sub,
    preferredUsername: str(claims.preferred_username),
    email: str(claims.email),
    name: str(claims.name),
    groups,
  };
  noteAudit({ actor: identity.preferredUsername ?? identity.sub, object: identity.preferredUsername ?? identity.sub, detail: { issuer: identity.issuer, subject: identity.sub, groups } });
  const account = await oidcAccount(identity);
  const { cookieValue: secret, session } = await createSession(account.user.id, { groups, sourceAddress: meta.sourceAddress, userAgent: meta.userAgent });
  noteAudit({
    actor: account.user.username,
    object: account.user.username,
    detail: { session: session.id, created: account.created, roles: account.grants.map((gr) => ({ role: gr.role, hosts: gr.hosts, via: gr.id.startsWith('env:') ? `KSC_OIDC_ROLE_MAP:${gr.subject}` : gr.subjectKind === 'group' ? `group:${gr.subject}` : 'user' })) },
  });
  return { cookieValue: secret, expiresAt: session.expiresAt, username: account.user.username, next: tx.next };
}
