import { z } from 'zod';

/**
 * The audit log on the wire (GET /api/audit, /api/audit/verify): one record per write, refused
 * write and identity event, with the exact commands it ran. Shared by the route, the CLI's JSON
 * output and the Audit page / History tabs.
 */
export const AuditCommandDto = z.object({
  /** The plan step's title, when the command ran as a step. */
  title: z.string().optional(),
  /** The command as the previews render it. */
  command: z.string(),
  /** stdin when the step declared it public (pool XML); never a secret. */
  stdin: z.string().optional(),
  exitCode: z.number().nullable(),
  ok: z.boolean(),
  durationMs: z.number(),
});
export type AuditCommandDto = z.infer<typeof AuditCommandDto>;

export const AuditResult = z.enum(['ok', 'failed', 'refused']);
export type AuditResult = z.infer<typeof AuditResult>;

export const AuditRecordDto = z.object({
  seq: z.number().int(),
  at: z.string(),
  /** 'user', 'token', 'anonymous', 'system' */
  actorKind: z.string(),
  actor: z.string().nullable(),
  tokenId: z.string().nullable(),
  sourceAddress: z.string().nullable(),
  /** null: a console-wide record (sign-in, users, tokens, grants, retention). */
  host: z.string().nullable(),
  /** 'pool', 'volume', 'volume-snapshot', 'vm', 'vm-disk', 'vm-snapshot', 'user', 'token', … */
  objectKind: z.string().nullable(),
  /** `pool`, `pool/volume`, `vm`, `vm/snapshot`, `vm/target` … */
  object: z.string().nullable(),
  operation: z.string(),
  result: z.string(),
  status: z.number().nullable(),
  commands: z.array(AuditCommandDto),
  detail: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditRecordDto = z.infer<typeof AuditRecordDto>;

/** GET /api/audit: a page, newest first; `nextBefore` asks for the next (older) page. */
export const AuditPageDto = z.object({
  records: z.array(AuditRecordDto),
  nextBefore: z.number().int().nullable(),
});
export type AuditPageDto = z.infer<typeof AuditPageDto>;

/** GET /api/audit/verify */
export const AuditVerifyDto = z.object({
  intact: z.boolean(),
  records: z.number().int(),
  firstSeq: z.number().int().nullable().optional(),
  lastSeq: z.number().int().nullable().optional(),
  brokenAt: z.object({ seq: z.number().int(), reason: z.string() }).optional(),
});
export type AuditVerifyDto = z.infer<typeof AuditVerifyDto>;

/** The filters of GET /api/audit (and of the Audit page's URL). */
export const AUDIT_FILTERS = ['host', 'user', 'object', 'kind', 'op', 'result', 'since', 'until'] as const;
export type AuditFilter = (typeof AUDIT_FILTERS)[number];
export type AuditFilters = Partial<Record<AuditFilter, string>>;

/**
 * The object kinds a History tab lists: a pool's own records and its volumes'; a volume's and
 * its internal snapshots'; a VM's, its disks' and its snapshots'. (server/route.ts `objectOf`.)
 */
export const HISTORY_KINDS = {
  pool: ['pool', 'volume', 'volume-snapshot'],
  volume: ['volume', 'volume-snapshot'],
  vm: ['vm', 'vm-disk', 'vm-snapshot'],
} as const;
