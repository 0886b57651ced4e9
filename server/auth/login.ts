import 'server-only';
import { AppError, badRequest } from '../errors';
import { noteAudit } from '../route';
import { createSession } from './sessions';
import { verifyPassword } from './secrets';
import { checkThrottle, clearFailures, recordFailure, throttleKeys } from './throttle';
import { findUser } from './users';

/**
 * Sign in with a local account: throttled per user name and per address (429 before any
 * password is checked), the same answer and the same argon2 cost for an unknown user, a wrong
 * password and a disabled account, a new server-side session on success.
 */
export async function login(body: unknown, meta: { sourceAddress: string | null; userAgent: string | null }): Promise<{ cookieValue: string; expiresAt: string; username: string }> {
  const b = (body ?? {}) as { username?: unknown; password?: unknown };
  if (typeof b.username !== 'string' || !b.username.trim() || typeof b.password !== 'string' || !b.password)
    throw badRequest('Give a user name and a password', { fields: ['username', 'password'] });
  const username = b.username.trim().slice(0, 64);
  noteAudit({ actor: username, operation: 'auth.login', objectKind: 'user', object: username });
  const keys = throttleKeys(username, meta.sourceAddress);
  await checkThrottle(keys);
  const user = await findUser(username);
  const ok = (await verifyPassword(user?.passwordHash ?? null, b.password)) && !!user && !user.disabled && user.username === username;
  if (!ok) {
    await recordFailure(keys);
    throw new AppError('invalid-credentials', 'Wrong user name or password (or the account is disabled)', { status: 401 });
  }
  await clearFailures(keys);
  const { cookieValue, session } = await createSession(user.id, { sourceAddress: meta.sourceAddress, userAgent: meta.userAgent });
  noteAudit({ detail: { session: session.id } });
  return { cookieValue, expiresAt: session.expiresAt, username: user.username };
}
