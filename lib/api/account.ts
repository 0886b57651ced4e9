import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { z } from 'zod';
import {
  CreatedTokenDto,
  GrantRecordDto,
  SessionDto,
  SessionRevokedDto,
  TokenDto,
  UserChangedDto,
  UserDto,
  type CreateGrantInput,
  type CreateTokenInput,
  type CreateUserInput,
  type UpdateUserInput,
} from '@/lib/schemas';
import { getJson, sendJson } from './errors';
import { accountKeys, adminKeys, meKey } from './keys';
import { apiPaths, pageHrefs } from './paths';

/**
 * The account page (my sessions, my API tokens) and the users page (users, grants, anyone's
 * sessions). Mutations refresh by the factory keys; a revoked current session sends the browser
 * to the sign-in page (the server has cleared the cookie).
 */

// Mine

export const useMySessions = () => useQuery({ queryKey: accountKeys.sessions(), queryFn: ({ signal }) => getJson(apiPaths.mySessions(), z.array(SessionDto), signal) });
export const useMyTokens = () => useQuery({ queryKey: accountKeys.tokens(), queryFn: ({ signal }) => getJson(apiPaths.tokens(), z.array(TokenDto), signal) });

/** After a revoke: the caller's own session ended (the server cleared the cookie) → nothing of theirs stays cached, off to sign in. */
function useAfterRevoke(invalidate: readonly unknown[]) {
  const qc = useQueryClient();
  const router = useRouter();
  return (r: z.infer<typeof SessionRevokedDto>) => {
    if (!r.signedOut) return qc.invalidateQueries({ queryKey: invalidate });
    qc.clear();
    router.replace(pageHrefs.login());
  };
}

export function useRevokeMySession() {
  const after = useAfterRevoke(accountKeys.sessions());
  return useMutation({
    mutationFn: (id: string) => sendJson('DELETE', apiPaths.mySession(id), undefined, SessionRevokedDto),
    onSuccess: after,
  });
}

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateTokenInput) => sendJson('POST', apiPaths.tokens(), body, CreatedTokenDto),
    onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.tokens() }),
  });
}

export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => sendJson('DELETE', apiPaths.token(id), undefined, TokenDto),
    onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.tokens() }),
  });
}

// Administration

export const useUsers = () => useQuery({ queryKey: adminKeys.users(), queryFn: ({ signal }) => getJson(apiPaths.users(), z.array(UserDto), signal) });
export const useGrants = () => useQuery({ queryKey: adminKeys.grants(), queryFn: ({ signal }) => getJson(apiPaths.grants(), z.array(GrantRecordDto), signal) });
export const useUserSessions = (user: string) =>
  useQuery({ queryKey: adminKeys.userSessions(user), queryFn: ({ signal }) => getJson(apiPaths.userSessions(user), z.array(SessionDto), signal) });

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserInput) => sendJson('POST', apiPaths.users(), body, UserChangedDto),
    onSuccess: () => qc.invalidateQueries({ queryKey: adminKeys.all }),
  });
}

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ user, body }: { user: string; body: UpdateUserInput }) => sendJson('PATCH', apiPaths.user(user), body, UserChangedDto),
    onSuccess: () => qc.invalidateQueries({ queryKey: adminKeys.all }),
  });
}

export function useRevokeUserSession(user: string) {
  const after = useAfterRevoke(adminKeys.userSessions(user));
  return useMutation({
    mutationFn: (id: string) => sendJson('DELETE', apiPaths.userSession(user, id), undefined, SessionRevokedDto),
    onSuccess: after,
  });
}

export function useCreateGrant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateGrantInput) => sendJson('POST', apiPaths.grants(), body, GrantRecordDto),
    // My own grants may have changed: my role per host too.
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: adminKeys.all }), qc.invalidateQueries({ queryKey: meKey })]),
  });
}

export function useDeleteGrant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => sendJson('DELETE', apiPaths.grant(id), undefined, GrantRecordDto),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: adminKeys.all }), qc.invalidateQueries({ queryKey: meKey })]),
  });
}
