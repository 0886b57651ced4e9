import { z } from 'zod';
import { RoleDto } from './auth';

/**
 * The account and administration API (issue 13): my sessions and tokens, users, grants. Bodies are
 * checked here by the routes and by the forms; answers are the DTOs the pages read. A secret (a new
 * token, a generated password) appears in exactly one answer — the one that made it.
 */

/** A user name: letters, digits and . _ @ -, starting with a letter or _ (server/auth/users.ts says the same). */
const Username = z
  .string()
  .trim()
  .regex(/^[a-z_][a-z0-9_.@-]{0,63}$/i, 'A user name is 1–64 letters, digits, or . _ @ -, starting with a letter or _');
const DisplayName = z.string().trim().max(100, 'A display name has at most 100 characters');
/** At least 12 characters (server/auth/secrets.ts `MIN_PASSWORD`). */
export const Password = z.string().min(12, 'A password needs at least 12 characters').max(1024, 'A password may have at most 1024 characters');
/** `30d`, `12h`, `90m`, an ISO date, or `never`. */
export const Expiry = z
  .string()
  .trim()
  .max(40)
  .refine((v) => v === '' || v === 'never' || /^\d{1,5}[dhm]$/.test(v) || !Number.isNaN(Date.parse(v)), 'A duration like 30d, 12h, 90m, a date, or never');

/** `*` (every host) or a non-empty list of inventory ids (checked against the inventory by the server). */
export const HostScopeDto = z.union([
  z.literal('*'),
  z
    .array(z.string().trim().min(1).max(100))
    .min(1, 'Pick at least one host, or every host')
    .max(500)
    .transform((a) => [...new Set(a)]),
]);

// Sessions

export const SessionDto = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  sourceAddress: z.string().nullable(),
  userAgent: z.string().nullable(),
  /** The session this request came with. */
  current: z.boolean(),
});
export type SessionDto = z.infer<typeof SessionDto>;

/** DELETE …/sessions/{id}: `signedOut` when it was the caller's own session (the cookie is cleared too). */
export const SessionRevokedDto = z.object({ revoked: z.string(), signedOut: z.boolean() });

// Tokens

export const CreateTokenInput = z.strictObject({
  name: z.string().trim().min(1, 'A token needs a name').max(100, 'A token name has at most 100 characters'),
  /** At most the owner's strongest role; default: that role. */
  role: RoleDto.optional(),
  /** Default: 30d. `never` for none. */
  expires: Expiry.optional(),
});
export type CreateTokenInput = z.input<typeof CreateTokenInput>;

export const TokenDto = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleDto,
  /** The owner's user name. */
  user: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type TokenDto = z.infer<typeof TokenDto>;

/** POST /api/tokens: the token itself, this once. */
export const CreatedTokenDto = z.object({ token: z.string(), record: TokenDto });
export type CreatedTokenDto = z.infer<typeof CreatedTokenDto>;

// Grants

export const GrantSubjectKind = z.enum(['user', 'group']);

export const CreateGrantInput = z.strictObject({
  subjectKind: GrantSubjectKind,
  /** A user name (or id) for `user`; a group name (an identity provider's claim) for `group`. */
  subject: z.string().trim().min(1, 'Name the user or group').max(200),
  role: RoleDto,
  hosts: HostScopeDto,
});
export type CreateGrantInput = z.input<typeof CreateGrantInput>;

export const GrantRecordDto = z.object({
  id: z.string(),
  subjectKind: GrantSubjectKind,
  /** A user's id, or the group's name. */
  subject: z.string(),
  /** A user's name (the id when the user is gone), or the group's name. */
  subjectName: z.string(),
  role: RoleDto,
  hosts: z.union([z.literal('*'), z.array(z.string())]),
  createdAt: z.string(),
});
export type GrantRecordDto = z.infer<typeof GrantRecordDto>;

// Users

export const UserDto = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string().nullable(),
  source: z.enum(['local', 'oidc']),
  disabled: z.boolean(),
  createdAt: z.string(),
  hasPassword: z.boolean(),
  /** The user's own grants (group grants are listed by GET /api/grants). */
  grants: z.array(GrantRecordDto),
});
export type UserDto = z.infer<typeof UserDto>;

export const CreateUserInput = z
  .strictObject({
    username: Username,
    displayName: DisplayName.optional(),
    /** Given, or generated when absent (the answer shows it once). */
    password: Password.optional(),
    /** A first grant, so a new user can see something. */
    grant: z.strictObject({ role: RoleDto, hosts: HostScopeDto }).optional(),
  });
export type CreateUserInput = z.input<typeof CreateUserInput>;

export const UpdateUserInput = z
  .strictObject({
    disabled: z.boolean().optional(),
    displayName: DisplayName.nullable().optional(),
    /** A new password … */
    password: Password.optional(),
    /** … or a generated one (shown once in the answer). */
    generatePassword: z.literal(true).optional(),
  })
  .refine((b) => !(b.password !== undefined && b.generatePassword), { message: 'Give a password or ask for a generated one, not both', path: ['password'] })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Nothing to change' });
export type UpdateUserInput = z.input<typeof UpdateUserInput>;

/** POST /api/users and PATCH /api/users/{user}: the user, and a password only when the server generated it. */
export const UserChangedDto = z.object({ user: UserDto, password: z.string().optional() });
export type UserChangedDto = z.infer<typeof UserChangedDto>;
