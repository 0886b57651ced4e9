/**
 * A test OpenID Connect provider on loopback, for Playwright (its first webServer) and for trying
 * single sign-on by hand:
 *
 *   npx tsx scripts/oidc-dev-provider.ts [--port 3199] [--redirect http://127.0.0.1:3000/api/auth/oidc/callback]…
 *
 * Users (password = name + "-pw"): olivia [ksc-admins], victor [ksc-viewers], carol [ksc-ops, staff],
 * dora [ksc-admins], nobody []. It prints the console's environment for it. Development only:
 * in-memory state, a fixed client secret, keys made at start.
 */
import { parseArgs } from 'node:util';
import { OIDC_TEST_CLIENT, OIDC_TEST_LABEL, OIDC_TEST_ROLE_MAP } from '../test/helpers/oidc-client';
import { startOidcProvider } from '../test/helpers/oidc-provider';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.KSC_OIDC_DEV_PORT ?? '3199' },
    host: { type: 'string', default: '127.0.0.1' },
    'issuer-host': { type: 'string', default: process.env.KSC_OIDC_DEV_ISSUER_HOST ?? 'localhost' },
    redirect: { type: 'string', multiple: true },
  },
});
const redirects = values.redirect?.length
  ? values.redirect
  : (process.env.KSC_OIDC_DEV_REDIRECTS ?? 'http://127.0.0.1:3000/api/auth/oidc/callback').split(',').map((s) => s.trim()).filter(Boolean);

const op = await startOidcProvider({ port: Number(values.port), host: values.host, issuerHost: values['issuer-host'], redirectUris: redirects });
console.log(`Test OpenID Connect provider at ${op.issuer} (redirects: ${redirects.join(', ')})`);
console.log('Console environment:');
console.log(`  KSC_OIDC_ISSUER=${op.issuer} KSC_OIDC_CLIENT_ID=${OIDC_TEST_CLIENT.clientId} KSC_OIDC_CLIENT_SECRET=${OIDC_TEST_CLIENT.clientSecret}`);
console.log(`  KSC_OIDC_REDIRECT_URL=${redirects[0]} KSC_OIDC_ROLE_MAP=${OIDC_TEST_ROLE_MAP} KSC_OIDC_LABEL='${OIDC_TEST_LABEL}'`);
const stop = () => void op.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
