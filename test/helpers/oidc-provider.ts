/**
 * A real OpenID Connect provider on loopback for the sign-on tests: `oidc-provider` (the
 * certified Node implementation) with one confidential client, a few users with groups, and a
 * small login + consent interaction of its own (plain HTML forms a browser or a fetch can fill).
 *
 *   const op = await startOidcProvider({ redirectUris: ['http://127.0.0.1:3180/api/auth/oidc/callback'] });
 *   op.issuer  // http://127.0.0.1:PORT
 *   await op.close();
 *
 * Users (password = name + '-pw'): olivia [ksc-admins], victor [ksc-viewers], carol [ksc-ops],
 * dora [ksc-admins] (for the local-account collision), nobody [] (no group).
 * scripts/oidc-dev-provider.ts runs it on a fixed port for Playwright (and by hand).
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type InteractionDetails } from 'oidc-provider';
import { OIDC_TEST_CLIENT } from './oidc-client';

export interface OidcTestUser {
  password: string;
  name: string;
  email: string;
  groups: string[];
  /** Defaults to the account id. */
  preferredUsername?: string;
}

const user = (id: string, name: string, groups: string[]): OidcTestUser => ({ password: `${id}-pw`, name, email: `${id}@example.test`, groups });

export const OIDC_TEST_USERS: Readonly<Record<string, OidcTestUser>> = {
  olivia: user('olivia', 'Olivia Admin', ['ksc-admins']),
  victor: user('victor', 'Victor Viewer', ['ksc-viewers']),
  carol: user('carol', 'Carol Operator', ['ksc-ops', 'staff']),
  dora: user('dora', 'Dora Twin', ['ksc-admins']),
  nobody: user('nobody', 'No Body', []),
};

export { OIDC_TEST_CLIENT, OIDC_TEST_LABEL, OIDC_TEST_ROLE_MAP } from './oidc-client';

export interface OidcTestProvider {
  issuer: string;
  port: number;
  provider: Provider;
  /** `METHOD /path` of every request it served, in order (e.g. to see whether userinfo, `/me`, was asked). */
  requests: string[];
  close(): Promise<void>;
}

export interface OidcProviderOptions {
  port?: number;
  /** The address it listens on (default 127.0.0.1). */
  host?: string;
  /** The host name in its issuer URL (default: `host`); `localhost` makes it another site than a console on 127.0.0.1. */
  issuerHost?: string;
  redirectUris: string[];
  users?: Readonly<Record<string, OidcTestUser>>;
  /** Put the scope's claims (groups, profile) into the ID token as well (default: userinfo only, as the spec says for the code flow). */
  claimsInIdToken?: boolean;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function html(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1>${body}</body></html>`);
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 10_000) throw new Error('form too large');
  }
  return new URLSearchParams(text);
}

function loginPage(res: ServerResponse, uid: string, error?: string): void {
  html(
    res,
    error ? 401 : 200,
    'Test identity provider: sign in',
    `${error ? `<p role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login">
  <label>User name <input name="login" autocomplete="off" autofocus required></label>
  <label>Password <input name="password" type="password" required></label>
  <button type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${esc(uid)}/abort"><button type="submit">Cancel</button></form>`,
  );
}

function consentPage(res: ServerResponse, d: InteractionDetails): void {
  const scopes = (d.prompt.details.missingOIDCScope ?? []).filter((s) => s !== 'openid');
  html(
    res,
    200,
    'Test identity provider: allow access',
    `<p>${esc(String(d.params.client_id))} asks for: ${esc(scopes.join(', ') || 'your identity')}</p>
<form method="post" action="/interaction/${esc(d.uid)}/confirm"><button type="submit">Allow</button></form>
<form method="post" action="/interaction/${esc(d.uid)}/abort"><button type="submit">Deny</button></form>`,
  );
}

export async function startOidcProvider(opts: OidcProviderOptions): Promise<OidcTestProvider> {
  const users = opts.users ?? OIDC_TEST_USERS;
  const host = opts.host ?? '127.0.0.1';
  let provider: Provider | null = null;
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
    const p = provider!;
    const details = await p.interactionDetails(req, res);
    if (details.uid !== uid) return html(res, 400, 'Wrong interaction', '<p>This sign-in page belongs to another attempt.</p>');
    if (req.method === 'GET' && !action) {
      if (details.prompt.name === 'login') return loginPage(res, uid);
      if (details.prompt.name === 'consent') return consentPage(res, details);
      return html(res, 501, 'Not implemented', `<p>${esc(details.prompt.name)}</p>`);
    }
    if (req.method !== 'POST') return html(res, 405, 'Method not allowed', '');
    if (action === 'abort')
      return p.interactionFinished(req, res, { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false });
    if (action === 'login') {
      const form = await formBody(req);
      const login = form.get('login') ?? '';
      const u = Object.hasOwn(users, login) ? users[login] : undefined;
      if (!u || form.get('password') !== u.password) return loginPage(res, uid, 'Wrong user name or password');
      return p.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
    }
    if (action === 'confirm') {
      const { prompt, grantId, session, params } = details;
      const grant = (grantId ? await p.Grant.find(grantId) : undefined) ?? new p.Grant({ accountId: session!.accountId!, clientId: params.client_id });
      if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
      if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
      return p.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    }
    return html(res, 404, 'Not found', '');
  }

  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push(`${req.method} ${path}`);
    const m = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm|abort))?$/.exec(path);
    if (m)
      interaction(req, res, m[1]!, m[2]).catch((e: unknown) => {
        if (!res.headersSent) html(res, 400, 'Sign-in failed', `<p>${esc((e as Error).message)}</p>`);
        else res.end();
      });
    else handler!(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://${opts.issuerHost ?? host}:${port}`;

  provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_TEST_CLIENT.clientId,
        client_secret: OIDC_TEST_CLIENT.clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    async findAccount(_ctx: unknown, id: string) {
      const u = Object.hasOwn(users, id) ? users[id] : undefined;
      if (!u) return undefined;
      return {
        accountId: id,
        claims: async () => ({ sub: id, name: u.name, preferred_username: u.preferredUsername ?? id, email: u.email, email_verified: true, groups: u.groups }),
      };
    },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'], groups: ['groups'] },
    scopes: ['openid', 'profile', 'email', 'groups'],
    conformIdTokenClaims: !opts.claimsInIdToken,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, i: { uid: string }) => `/interaction/${i.uid}` },
    cookies: { keys: ['ksc-test-provider-cookie-key'] },
    // A signing key of its own (else the provider warns about its development keys), and lifetimes.
    jwks: { keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'test-1', use: 'sig', alg: 'RS256' }] },
    ttl: { AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    renderError(ctx: { type: string; body: string }, out: { error: string; error_description?: string }) {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Error</title><h1>${esc(out.error)}</h1><p>${esc(out.error_description ?? '')}</p>`;
    },
  });
  handler = provider.callback();

  return {
    issuer,
    port,
    provider,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
