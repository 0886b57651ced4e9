/**
 * Why a single sign-on ended on /login?error=CODE: the callback (server/auth/oidc.ts) sends the
 * code only, and the login page words it from this table (a message in the URL would let any
 * link put text on the sign-in page).
 */
export const OIDC_ERRORS = {
  'oidc-off': 'Single sign-on is not configured on this console.',
  'oidc-unavailable': 'The identity provider could not be reached or is misconfigured; the server log says why. Try again later or sign in with a local account.',
  'oidc-denied': 'The sign-in was cancelled at the identity provider (consent was not given).',
  'oidc-provider-error': 'The identity provider refused the sign-in.',
  'oidc-state': 'This sign-in was not started in this browser, or it took too long (10 minutes). Start again.',
  'oidc-failed': 'The identity provider’s answer could not be verified, so the sign-in was refused.',
  'oidc-no-role': 'You are signed in at the identity provider, but your groups give no role here. Ask an admin for a grant for one of your groups.',
  'oidc-local-account': 'A local account with your user name already exists; single sign-on does not take it over. Ask an admin, or sign in with the local account’s password.',
  'oidc-name-taken': 'Your user name is already used by another single sign-on identity. Ask an admin.',
  'oidc-bad-username': 'The identity provider gave no user name the console can use (1–64 letters, digits, or . _ @ -).',
  'oidc-disabled': 'Your account is disabled on this console.',
} as const satisfies Record<string, string>;

export type OidcErrorCode = keyof typeof OIDC_ERRORS;

export const isOidcErrorCode = (v: unknown): v is OidcErrorCode => typeof v === 'string' && Object.hasOwn(OIDC_ERRORS, v);

/** The sentence for `/login?error=…`, or null when the code is not a sign-on code. */
export const oidcErrorMessage = (code: string | null | undefined): string | null => (isOidcErrorCode(code) ? OIDC_ERRORS[code] : null);
