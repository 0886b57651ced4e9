import 'server-only';
/**
 * The console's own tables (users, sessions, grants, tokens, login throttling, audit log, jobs),
 * typed for Kysely. The same schema in SQLite and PostgreSQL: times are ISO-8601 UTC text (sorts
 * as it reads, compares the same in both), flags are 0/1 integers, lists are JSON text.
 */
import type { Generated } from 'kysely';

export type Role = 'viewer' | 'operator' | 'admin';

export interface UsersTable {
  id: string;
  username: string;
  display_name: string | null;
  /** argon2id PHC string; null for an account that signs in only through OIDC. */
  password_hash: string | null;
  /** 'local' or 'oidc' */
  source: string;
  /** The OIDC issuer's `sub` for an `oidc` account. */
  oidc_subject: string | null;
  disabled: number;
  created_at: string;
  updated_at: string;
  /** JSON array: the groups the identity provider gave at the last sign-in (OIDC); [] for local accounts. */
  groups: Generated<string>;
}

export interface GrantsTable {
  id: string;
  /** 'user' (subject = user id) or 'group' (subject = group name, e.g. from an OIDC claim). */
  subject_kind: string;
  subject: string;
  role: Role;
  /** JSON: "*" (every host) or an array of host ids. */
  hosts: string;
  created_at: string;
}

export interface SessionsTable {
  /** sha256 of the cookie value (the cookie itself is never stored). */
  id_hash: string;
  /** A short public id to list and revoke a session by. */
  id: string;
  user_id: string;
  /** JSON array of group names the identity provider gave at sign-in (OIDC); [] for local. */
  groups: string;
  created_at: string;
  last_seen_at: string;
  /** The absolute end, whatever the activity. */
  expires_at: string;
  source_address: string | null;
  user_agent: string | null;
  revoked_at: string | null;
}

export interface TokensTable {
  id: string;
  user_id: string;
  name: string;
  /** sha256 of the token's secret part. */
  secret_hash: string;
  /** The most the token may do (never more than its owner can). */
  role: Role;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface LoginThrottleTable {
  /** `user:NAME` or `addr:ADDRESS` */
  key: string;
  failures: number;
  last_failure_at: string;
  blocked_until: string | null;
}

export interface AuditTable {
  seq: number;
  at: string;
  /** 'user', 'token', 'anonymous', 'system' */
  actor_kind: string;
  /** The user name (a token's owner), or null for an anonymous caller. */
  actor: string | null;
  token_id: string | null;
  source_address: string | null;
  host: string | null;
  /** 'pool', 'volume', 'vm', 'snapshot', 'user', 'token', 'session', 'grant', 'host', 'job' … */
  object_kind: string | null;
  /** The object's path, e.g. `default/disk1.qcow2`, `vm002`, `vm002/snap1`. */
  object: string | null;
  /** e.g. `POST volume.resize`, `auth.login` */
  operation: string;
  /** 'ok', 'failed', 'refused' */
  result: string;
  status: number | null;
  /** JSON: [{command, exitCode, durationMs, ok}] in the order they ran. Never a secret. */
  commands: string;
  /** JSON: error code and message, job id, extra facts. */
  detail: string;
  prev_hash: string;
  hash: string;
}

/** One row: the newest sequence number and hash (appends lock it, so the chain never forks). */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  /** After retention pruned the start: the first kept record's seq and its prev_hash. */
  anchor_seq: number;
  anchor_hash: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface JobsTable {
  id: string;
  kind: string;
  title: string;
  host_id: string;
  target: string;
  state: string;
  progress: number | null;
  bytes_done: number | null;
  bytes_total: number | null;
  command: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  result: string | null;
  /** The process running it (JobOwnersTable.owner); null in rows from before owners existed. */
  owner: string | null;
}

/** A console process that runs jobs, and when it last said it was alive (every 15 s). */
export interface JobOwnersTable {
  /** `hostname/pid/random`: new at every start of a process. */
  owner: string;
  hostname: string;
  pid: number;
  started_at: string;
  seen_at: string;
}

export interface DB {
  users: UsersTable;
  grants: GrantsTable;
  sessions: SessionsTable;
  tokens: TokensTable;
  login_throttle: LoginThrottleTable;
  audit: AuditTable;
  audit_head: AuditHeadTable;
  settings: SettingsTable;
  jobs: JobsTable;
  job_owners: JobOwnersTable;
}

export type { Generated };
