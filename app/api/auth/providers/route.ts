import { oidcPublicInfo } from '@/server/auth/oidc-config';
import { api, json } from '@/server/route';

export const dynamic = 'force-dynamic';

/** GET /api/auth/providers (public): how one may sign in here — `{local: true, oidc: {label} | null}`. */
async function onGet() {
  return json({ local: true, oidc: oidcPublicInfo() });
}

export const { GET } = api('/api/auth/providers', { GET: onGet });
