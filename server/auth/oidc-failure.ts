import 'server-only';
import { OIDC_ERRORS, type OidcErrorCode } from '@/lib/auth/oidc-errors';

/** A sign-on that ends on /login?error=CODE; `facts` go to the audit record (never a token). */
export class OidcFailure extends Error {
  constructor(
    readonly code: OidcErrorCode,
    readonly facts: Record<string, unknown> = {},
    opts: { cause?: unknown } = {},
  ) {
    super(OIDC_ERRORS[code], opts);
    this.name = 'OidcFailure';
  }

  /** The HTTP status of the callback's answer (the audit record's result follows it). */
  get status(): number {
    switch (this.code) {
      case 'oidc-off':
        return 404;
      case 'oidc-unavailable':
        return 503;
      case 'oidc-no-role':
      case 'oidc-local-account':
      case 'oidc-name-taken':
      case 'oidc-disabled':
      case 'oidc-bad-username':
        return 403;
      default:
        return 401;
    }
  }
}
