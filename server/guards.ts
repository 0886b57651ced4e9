import 'server-only';
import { AppError } from './errors';

/**
 * Anything that would destroy data is refused unless the request carries `confirm` equal to
 * the object's name, typed by the user. The 409 names the hazard and lists what is at stake,
 * so the UI can show it before asking.
 */
export function requireConfirmation(opts: { hazard: string; name: string; confirm: string | undefined; message: string; detail?: unknown }): void {
  if (opts.confirm === opts.name) return;
  throw new AppError(opts.hazard, opts.confirm === undefined ? opts.message : `${opts.message} (the confirmation did not match “${opts.name}”)`, {
    status: 409,
    detail: { confirmWith: opts.name, ...(opts.detail === undefined ? {} : { affected: opts.detail }) },
  });
}
