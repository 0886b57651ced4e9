/**
 * The console's client at the test identity provider (test/helpers/oidc-provider.ts), and the
 * role map the tests give the console. No imports: playwright.config.ts reads it too.
 */
export const OIDC_TEST_CLIENT = { clientId: 'ksc-console', clientSecret: 'ksc-console-test-secret-0123456789abcdef' } as const;

/** ksc-admins → admin, ksc-viewers → viewer on every host (ksc-ops is left to a database group grant). */
export const OIDC_TEST_ROLE_MAP = 'ksc-admins=admin,ksc-viewers=viewer';

/** What the sign-in button says in the tests. */
export const OIDC_TEST_LABEL = 'Test IdP';

