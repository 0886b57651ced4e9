/**
 * The request gate: the one place that decides, before any route or page runs, whether a request
 * may reach the console at all, and which security headers every answer carries. proxy.ts (Next's
 * request hook, which runs for every path) calls it, so a new route cannot forget it.
 *
 * Pure: it sees a method, a path and headers, and the configuration from the environment. Unit
 * tested in gate.test.ts; the browser attacks it stops are in e2e/cross-origin.spec.ts.
 *
 * No `import 'server-only'` here: proxy.ts is not a React Server Component module, and this file
 * imports nothing secret.
 */
import { CLIENT_HEADER, UPLOAD_HEADER } from '@/lib/api/request-headers';

export interface GateConfig {
  /** `host:port` pairs (lower-case; IPv6 in brackets) a request's Host header may name. */
  allowedHosts: ReadonlySet<string>;
  /** Origins (`scheme://host[:port]`) a write may come from, besides `http://` + an allowed Host. */
  publicOrigin: string | null;
  /** The console is served over https (KSC_PUBLIC_URL is https): CSP upgrades subresources. */
  https: boolean;
  /** Development server: React needs eval for its debugging aids there (never in production). */
  dev: boolean;
}

export interface GateRequest {
  method: string;
  pathname: string;
  headers: Headers;
}

export type GateVerdict = { ok: true } | { ok: false; status: number; code: 'bad-host' | 'cross-origin' | 'json-required'; message: string };


const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * GETs that do something beyond reading the console's own view: discovery makes the KVM host
 * probe an address, a download streams a volume, an event stream holds a connection. A page on
 * another site could trigger them with an <img> or <a>; they answer only a same-origin browser
 * request (Sec-Fetch-Site) or a client that sends CLIENT_HEADER.
 */
const SIDE_EFFECT_GETS: readonly RegExp[] = [
  /^\/api\/hosts\/[^/]+\/pool-sources\/?$/,
  /^\/api\/hosts\/[^/]+\/pools\/[^/]+\/volumes\/[^/]+\/content\/?$/,
  /^\/api\/jobs\/[^/]+\/events\/?$/,
];
const UPLOAD_PATHS: readonly RegExp[] = [/^\/api\/hosts\/[^/]+\/pools\/[^/]+\/volumes\/[^/]+\/content\/?$/];
/**
 * Where an identity provider's page sends the browser back after a single sign-on: a top-level
 * GET navigation that another site starts by design. It is let through as a navigation only
 * (not a fetch, an <img> or a frame); the sign-in's state cookie is what proves it (server/auth/oidc.ts).
 */
const SIGN_ON_RETURNS: readonly RegExp[] = [/^\/api\/auth\/oidc\/callback\/?$/];
const isSignOnReturn = (pathname: string, h: Headers) =>
  SIGN_ON_RETURNS.some((r) => r.test(pathname)) && h.get('sec-fetch-mode') === 'navigate' && h.get('sec-fetch-dest') === 'document';

/** `host:port` as a Host header would carry it, lower-case, with the scheme's default port made explicit. */
function hostKey(hostHeader: string, defaultPort: string): string | null {
  const h = hostHeader.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(h);
  if (!m) return null;
  return `${m[1]}:${m[2] ?? defaultPort}`;
}

export function gateConfigFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): GateConfig {
  const port = env.PORT && /^\d+$/.test(env.PORT) ? env.PORT : '3000';
  const hosts = new Set<string>();
  let publicOrigin: string | null = null;
  let https = false;
  if (env.KSC_PUBLIC_URL) {
    const u = new URL(env.KSC_PUBLIC_URL);
    publicOrigin = u.origin;
    https = u.protocol === 'https:';
    const k = hostKey(u.host, https ? '443' : '80');
    if (k) hosts.add(k);
  }
  const listed = (env.KSC_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (listed.length) {
    for (const entry of listed) {
      const k = hostKey(entry, port);
      if (!k) throw new Error(`KSC_ALLOWED_HOSTS: “${entry}” is not a host name or host:port`);
      hosts.add(k);
    }
  } else {
    for (const name of LOOPBACK_NAMES) hosts.add(`${name}:${port}`);
    // The console may listen on another loopback address (HOST=127.0.0.2): that name is allowed too.
    if (env.HOST && /^127\.\d+\.\d+\.\d+$/.test(env.HOST)) hosts.add(`${env.HOST}:${port}`);
  }
  return { allowedHosts: hosts, publicOrigin, https, dev: env.NODE_ENV === 'development' };
}

const refuse = (status: number, code: 'bad-host' | 'cross-origin' | 'json-required', message: string): GateVerdict => ({ ok: false, status, code, message });

export function checkRequest(req: GateRequest, cfg: GateConfig): GateVerdict {
  const h = req.headers;
  // 1. The Host allowlist, for every request: a DNS-rebinding page (Host: evil.example) is never served.
  const hostHeader = h.get('host') ?? '';
  const key = hostKey(hostHeader, '80');
  if (!key || !cfg.allowedHosts.has(key))
    return refuse(421, 'bad-host', `This console does not answer to the host name “${hostHeader}”. An admin can allow it with KSC_ALLOWED_HOSTS or KSC_PUBLIC_URL (docs/SECURITY.md).`);

  const method = req.method.toUpperCase();
  const site = h.get('sec-fetch-site');
  const isApi = req.pathname === '/api' || req.pathname.startsWith('/api/');

  if (SAFE_METHODS.has(method)) {
    if (!isApi) return { ok: true }; // pages: links from anywhere may open them; framing is stopped by headers
    // A browser says where an API request comes from; another site's never reaches the API.
    if ((site === 'cross-site' || site === 'same-site') && !isSignOnReturn(req.pathname, h)) return refuse(403, 'cross-origin', `The console's API answers only its own pages (this request came from a ${site} page).`);
    if (!site && SIDE_EFFECT_GETS.some((r) => r.test(req.pathname)) && h.get(CLIENT_HEADER) === null)
      return refuse(403, 'cross-origin', `This request acts on a host: a client that is not a browser sends the header ${CLIENT_HEADER}: 1.`);
    return { ok: true };
  }

  // 2. Writes: from this console's own pages only.
  if (site && site !== 'same-origin') return refuse(403, 'cross-origin', `Writes are accepted only from the console's own pages (this one came from a ${site} page).`);
  const origin = h.get('origin');
  // The console's own origin: the (allowed) Host it was reached by, or the public URL a TLS proxy serves.
  const own = new Set([`http://${hostHeader.toLowerCase()}`]);
  if (cfg.https) own.add(`https://${hostHeader.toLowerCase()}`);
  if (cfg.publicOrigin) own.add(cfg.publicOrigin);
  if (!origin) return refuse(403, 'cross-origin', `A write must carry an Origin header naming this console (${[...own][0]}).`);
  if (!own.has(origin.toLowerCase())) return refuse(403, 'cross-origin', `Writes from ${origin} are refused: only ${[...own].join(' or ')} may write.`);

  // 3. A body a plain HTML form cannot make: JSON, or an upload with the custom header.
  if (UPLOAD_PATHS.some((r) => r.test(req.pathname)) && method === 'PUT') {
    if (h.get(UPLOAD_HEADER) !== '1') return refuse(415, 'json-required', `An upload must carry the header ${UPLOAD_HEADER}: 1.`);
    return { ok: true };
  }
  const type = (h.get('content-type') ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json') return refuse(415, 'json-required', `Writes take a JSON body (content-type: application/json), not “${type || 'none'}”.`);
  return { ok: true };
}

/** A fresh nonce per page render: Next reads it from the CSP request header and puts it on its scripts. */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The Content-Security-Policy of a page (with its nonce) or of an API answer (no nonce: nothing
 * in a JSON answer may run or be framed). Scripts run only with the nonce ('strict-dynamic' lets
 * Next's loader add its chunks); no 'unsafe-eval' outside `next dev`. Styles allow inline
 * attributes: React renders style={{…}} (bar widths) into the server HTML.
 */
export function contentSecurityPolicy(cfg: GateConfig, nonce: string | null): string {
  if (nonce === null) return "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${cfg.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(cfg.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** The headers every answer carries, pages and API alike (the CSP is set beside them). */
export function securityHeaders(cfg: GateConfig): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    ...(cfg.https ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}

let cachedConfig: GateConfig | null = null;
/** The configuration from this process's environment, read once. */
export const gateConfig = (): GateConfig => (cachedConfig ??= gateConfigFromEnv());

/** The CSP (page with its nonce, or API answer) and the other security headers, set on an answer. */
export function applySecurityHeaders(headers: Headers, cfg: GateConfig, nonce: string | null): void {
  headers.set('content-security-policy', contentSecurityPolicy(cfg, nonce));
  for (const [k, v] of Object.entries(securityHeaders(cfg))) headers.set(k, v);
}

/** A refusal as the API's JSON error body. */
export function refusalResponse(v: Extract<GateVerdict, { ok: false }>): Response {
  return Response.json({ error: { code: v.code, message: v.message } }, { status: v.status, headers: { 'cache-control': 'no-store' } });
}

/**
 * The gate for the one route proxy.ts cannot front: volume content (upload and download). With a
 * proxy, Next buffers a request body whole in memory (and cuts it at proxyClientMaxBodySize), which
 * would end streamed multi-GiB uploads; so proxy.ts's matcher skips that path and its handlers
 * call this first — the same checks, the same headers.
 */
export async function gated(req: Request, handler: () => Promise<Response>): Promise<Response> {
  const cfg = gateConfig();
  const verdict = checkRequest({ method: req.method, pathname: new URL(req.url).pathname, headers: req.headers }, cfg);
  let res: Response;
  if (verdict.ok) res = await handler();
  else {
    await req.body?.cancel().catch(() => undefined);
    res = refusalResponse(verdict);
  }
  applySecurityHeaders(res.headers, cfg, null);
  return res;
}
