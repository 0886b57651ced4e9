import 'server-only';
import { database, nowIso } from '../db';
import { isAppError } from '../errors';
import { OidcFailure } from './oidc-failure';
import { addUser, grantsFor, toUser, usernameProblem, type GrantRecord, type UserRecord } from './users';

/**
 * The console account of an OpenID Connect identity. An identity is its issuer and `sub`
 * (`users.oidc_subject` = `ISSUER#SUB`; `#` cannot occur in an issuer), so a renamed user at the
 * provider keeps their account, and a second provider's `olivia` is not the first one's. A new
 * identity gets an account named by `preferred_username` (else `email`, else `sub`); a name
 * already held — by a local account or another identity — is refused, never taken over.
 *
 * Refused too: a disabled account, and an identity whose grants (its own, its groups' in the
 * database, KSC_OIDC_ROLE_MAP) give no role anywhere — no account is created for it.
 */
export interface OidcIdentity {
  issuer: string;
  sub: string;
  preferredUsername?: string | null;
  email?: string | null;
  name?: string | null;
  groups: string[];
}

export const oidcSubject = (issuer: string, sub: string) => `${issuer}#${sub}`;


async function bySubject(subject: string): Promise<UserRecord | null> {
  const db = await database();
  const r = await db.selectFrom('users').selectAll().where('oidc_subject', '=', subject).executeTakeFirst();
  return r ? toUser(r) : null;
}

async function byName(username: string) {
  const db = await database();
  return (await db.selectFrom('users').select(['id', 'source']).where('username', '=', username).executeTakeFirst()) ?? null;
}

/** The user name a new identity gets: the first usable of preferred_username, email, sub. */
export function usernameFor(id: Pick<OidcIdentity, 'preferredUsername' | 'email' | 'sub'>): string | null {
  for (const c of [id.preferredUsername, id.email, id.sub]) if (typeof c === 'string' && c && !usernameProblem(c)) return c;
  return null;
}

export interface OidcAccount {
  user: UserRecord;
  grants: GrantRecord[];
  created: boolean;
}

export async function oidcAccount(id: OidcIdentity): Promise<OidcAccount> {
  const subject = oidcSubject(id.issuer, id.sub);
  const displayName = id.name?.trim().slice(0, 200) || null;
  const known = await bySubject(subject);
  if (known) {
    if (known.disabled) throw new OidcFailure('oidc-disabled', { username: known.username });
    const grants = await grantsFor(known.id, id.groups);
    if (!grants.length) throw new OidcFailure('oidc-no-role', { username: known.username, groups: id.groups });
    const db = await database();
    // The groups of this sign-in stay on the account: the user's API tokens act with them.
    await db.updateTable('users').set({ display_name: displayName, groups: JSON.stringify(id.groups), updated_at: nowIso() }).where('id', '=', known.id).execute();
    return { user: { ...known, displayName }, grants, created: false };
  }
  const username = usernameFor(id);
  if (!username) throw new OidcFailure('oidc-bad-username', { preferredUsername: id.preferredUsername ?? null });
  const holder = await byName(username);
  if (holder) throw new OidcFailure(holder.source === 'oidc' ? 'oidc-name-taken' : 'oidc-local-account', { username });
  // Only group grants can apply to an identity that has no account yet.
  const grants = await grantsFor('', id.groups);
  if (!grants.length) throw new OidcFailure('oidc-no-role', { username, groups: id.groups });
  try {
    const user = await addUser({ username, displayName, source: 'oidc', oidcSubject: subject });
    const db = await database();
    await db.updateTable('users').set({ groups: JSON.stringify(id.groups) }).where('id', '=', user.id).execute();
    return { user, grants, created: true };
  } catch (e) {
    // Two first sign-ins of one identity at once: the other one made the account.
    if (isAppError(e) && e.code === 'exists') {
      const again = await bySubject(subject);
      if (again) return { user: again, grants, created: false };
      throw new OidcFailure('oidc-name-taken', { username });
    }
    throw e;
  }
}
