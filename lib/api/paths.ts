/**
 * URLs in one place. Every object name goes through encodeURIComponent: volume names may hold
 * spaces, unicode, `#` and `?`, and a bare `#` would cut the URL short.
 */
const e = encodeURIComponent;

export const apiPaths = {
  hosts: () => '/api/hosts',
  host: (h: string) => `/api/hosts/${e(h)}`,
  pools: (h: string) => `/api/hosts/${e(h)}/pools`,
  pool: (h: string, p: string) => `/api/hosts/${e(h)}/pools/${e(p)}`,
  volumes: (h: string, p: string) => `/api/hosts/${e(h)}/pools/${e(p)}/volumes`,
  volume: (h: string, p: string, v: string) => `/api/hosts/${e(h)}/pools/${e(p)}/volumes/${e(v)}`,
  domains: (h: string) => `/api/hosts/${e(h)}/domains`,
  volumeOp: (h: string, p: string, v: string, op: string) => `/api/hosts/${e(h)}/pools/${e(p)}/volumes/${e(v)}/${op}`,
  snapshots: (h: string, p: string, v: string) => `/api/hosts/${e(h)}/pools/${e(p)}/volumes/${e(v)}/snapshots`,
  snapshot: (h: string, p: string, v: string, s: string) => `/api/hosts/${e(h)}/pools/${e(p)}/volumes/${e(v)}/snapshots/${e(s)}`,
  volumeFormats: (h: string, p: string) => `/api/hosts/${e(h)}/pools/${e(p)}/volume-formats`,
  chains: (h: string) => `/api/hosts/${e(h)}/chains`,
  jobs: () => '/api/jobs',
  job: (id: string) => `/api/jobs/${e(id)}`,
  jobEvents: (id: string) => `/api/jobs/${e(id)}/events`,
  domain: (h: string, vm: string) => `/api/hosts/${e(h)}/domains/${e(vm)}`,
  /** The audit log with its filters (empty ones left out); `format: 'csv' | 'json'` for a download. */
  audit: (q: Readonly<Record<string, string | number | undefined>> = {}) => withQuery('/api/audit', q),
  auditVerify: () => '/api/audit/verify',
  me: () => '/api/me',
  login: () => '/api/auth/login',
  logout: () => '/api/auth/logout',
  mySessions: () => '/api/me/sessions',
  mySession: (id: string) => `/api/me/sessions/${e(id)}`,
  tokens: () => '/api/tokens',
  token: (id: string) => `/api/tokens/${e(id)}`,
  users: () => '/api/users',
  user: (u: string) => `/api/users/${e(u)}`,
  userSessions: (u: string) => `/api/users/${e(u)}/sessions`,
  userSession: (u: string, id: string) => `/api/users/${e(u)}/sessions/${e(id)}`,
  grants: () => '/api/grants',
  grant: (id: string) => `/api/grants/${e(id)}`,
};

function withQuery(path: string, q: Readonly<Record<string, string | number | undefined>>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export const pageHrefs = {
  overview: () => '/',
  host: (h: string) => `/hosts/${e(h)}`,
  vms: (h: string) => `/hosts/${e(h)}/vms`,
  vm: (h: string, vm: string) => `/hosts/${e(h)}/vms/${e(vm)}`,
  pool: (h: string, p: string) => `/hosts/${e(h)}/pools/${e(p)}`,
  volume: (h: string, p: string, v: string) => `/hosts/${e(h)}/pools/${e(p)}/volumes/${e(v)}`,
  chains: (h: string) => `/hosts/${e(h)}/chains`,
  jobs: () => '/jobs',
  audit: (q: Readonly<Record<string, string | undefined>> = {}) => withQuery('/audit', q),
  account: () => '/account',
  users: () => '/admin/users',
  login: (next?: string) => (next && next !== '/' ? `/login?next=${e(next)}` : '/login'),
};

/** Route params arrive still percent-encoded in some Next.js versions and decoded in others. */
export function decodeParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
