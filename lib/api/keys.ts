/**
 * Hierarchical query keys: everything about a host lives under `hostKeys.detail(id)`, so
 * invalidating a host refreshes its pools, volumes and domains too; invalidating a pool
 * refreshes its volumes. Only this file spells keys.
 */
export const hostKeys = {
  all: ['hosts'] as const,
  list: () => [...hostKeys.all, 'list'] as const,
  detail: (hostId: string) => [...hostKeys.all, 'detail', hostId] as const,

  pools: (hostId: string) => [...hostKeys.detail(hostId), 'pools'] as const,
  pool: (hostId: string, pool: string) => [...hostKeys.pools(hostId), pool] as const,
  // The pool's own record sits beside its volumes so each can be refreshed alone.
  poolInfo: (hostId: string, pool: string) => [...hostKeys.pool(hostId, pool), 'info'] as const,
  volumes: (hostId: string, pool: string) => [...hostKeys.pool(hostId, pool), 'volumes'] as const,
  volume: (hostId: string, pool: string, vol: string) => [...hostKeys.volumes(hostId, pool), vol] as const,

  domains: (hostId: string) => [...hostKeys.detail(hostId), 'domains'] as const,
  domain: (hostId: string, vm: string) => [...hostKeys.domains(hostId), vm] as const,
  chains: (hostId: string) => [...hostKeys.detail(hostId), 'chains'] as const,
  volumeFormats: (hostId: string, pool: string) => [...hostKeys.pool(hostId, pool), 'formats'] as const,
  snapshots: (hostId: string, pool: string, vol: string) => [...hostKeys.volume(hostId, pool, vol), 'snapshots'] as const,
  map: (hostId: string, pool: string, vol: string) => [...hostKeys.volume(hostId, pool, vol), 'map'] as const,
};

export const jobKeys = {
  all: ['jobs'] as const,
  list: () => [...jobKeys.all, 'list'] as const,
  detail: (id: string) => [...jobKeys.all, 'detail', id] as const,
};

export const auditKeys = {
  all: ['audit'] as const,
  /** A filtered list (the Audit page, a History tab): pages by `before`. */
  list: (filters: Readonly<Record<string, string>>) => [...auditKeys.all, 'list', filters] as const,
  verify: () => [...auditKeys.all, 'verify'] as const,
};

/** The signed-in user (GET /api/me). */
export const meKey = ['me'] as const;

/** My sessions and API tokens (/account); users, grants and a user's sessions (/admin/users). */
export const accountKeys = {
  all: ['account'] as const,
  sessions: () => [...accountKeys.all, 'sessions'] as const,
  tokens: () => [...accountKeys.all, 'tokens'] as const,
};
export const adminKeys = {
  all: ['admin'] as const,
  users: () => [...adminKeys.all, 'users'] as const,
  grants: () => [...adminKeys.all, 'grants'] as const,
  userSessions: (user: string) => [...adminKeys.all, 'sessions', user] as const,
};
