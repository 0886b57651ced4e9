import 'server-only';
import { requireRole } from '../auth/context';
import { AppError } from '../errors';

/**
 * Every hazard of a write, declared once: which object's name must be typed to go ahead (null:
 * no confirmation lifts it) and how the refusal is worded. A refusal is always a 409 whose code
 * is the hazard and whose body is the same everywhere:
 * `{error: {code: hazard, message, detail: {confirmWith, affected}}}` (no `confirmWith` when
 * nothing can be typed). The UI's one confirm component (components/ui/typed-confirm.tsx) reads it.
 */
export interface HazardSpec {
  /** The kind of object whose name is typed, or null when the refusal cannot be confirmed away. */
  typed: 'volume' | 'image' | 'base' | 'vm' | 'snapshot' | 'pool' | 'vmdk' | null;
  /** What is at stake, for the default message. */
  what: string;
}

export const HAZARDS = {
  'delete-volume': { typed: 'volume', what: 'deleting it destroys its data' },
  'delete-vmdk': { typed: 'vmdk', what: 'deleting it removes the descriptor and every extent file it names' },
  wipe: { typed: 'volume', what: 'wiping overwrites all of its data' },
  'overwrite-volume': { typed: 'volume', what: 'its content is replaced' },
  'has-overlays': { typed: 'image', what: 'other images are based on it and would be corrupted' },
  'base-has-other-overlays': { typed: 'base', what: 'other overlays use this base and would be corrupted' },
  shrink: { typed: 'volume', what: 'shrinking cuts off the data past the new end' },
  'unsafe-rebase': { typed: 'image', what: 'an unsafe rebase only rewrites headers; the data is not checked' },
  'snapshot-apply': { typed: 'snapshot', what: 'applying a snapshot discards the image’s current state' },
  'snapshot-delete': { typed: 'snapshot', what: 'deleting a snapshot cannot be undone' },
  'snapshot-revert': { typed: 'vm', what: 'reverting discards the VM’s current state' },
  'force-off': { typed: 'vm', what: 'forcing it off may lose data it has not written yet' },
  'overwrite-build': { typed: 'pool', what: 'building with overwrite formats the source' },
  'pool-delete-storage': { typed: 'pool', what: 'deleting its storage cannot be undone' },
  'volume-in-use': { typed: null, what: 'a running VM holds the image' },
  'pool-in-use': { typed: null, what: 'VMs use volumes of the pool' },
  'volume-has-overlays': { typed: null, what: 'other images are based on it: deleting it would break them' },
  'base-has-overlays': { typed: null, what: 'other images are based on it: a VM writing to it would corrupt them' },
} as const satisfies Record<string, HazardSpec>;

export type Hazard = keyof typeof HAZARDS;
/** The hazards a typed name lifts (`guard`); the others are plain refusals (`guardError`). */
export type ConfirmableHazard = { [H in Hazard]: (typeof HAZARDS)[H]['typed'] extends null ? never : H }[Hazard];

export interface GuardRefusal {
  hazard: Hazard;
  /** The name the user must type (the object's name). */
  name: string;
  message?: string;
  /** What would be hurt (overlays, extents, VMs, volumes of a pool …). */
  affected?: unknown;
}

/** The refusal of a hazard as the one 409 body. */
export function guardError(g: GuardRefusal, mismatch = false): AppError {
  const spec: HazardSpec = HAZARDS[g.hazard];
  const base = g.message ?? `${g.name}: ${spec.what}`;
  const message = mismatch ? `${base} (the confirmation did not match “${g.name}”)` : base;
  return new AppError(g.hazard, message, {
    status: 409,
    detail: { ...(spec.typed ? { confirmWith: g.name } : {}), ...(g.affected === undefined ? {} : { affected: g.affected }) },
  });
}

/**
 * The one way a guarded write asks for its confirmation: go ahead only when `confirm` equals the
 * object's name; otherwise the hazard's 409 (`confirmWith` = the name, `affected` = what would be
 * hurt). Only hazards a typed name can lift are accepted here; the others are refused outright
 * with `throw guardError(...)` (same table, same body, no `confirmWith`).
 */
export function guard(g: GuardRefusal & { hazard: ConfirmableHazard; confirm: string | undefined }): void {
  const spec: HazardSpec = HAZARDS[g.hazard];
  // A hazard that can be confirmed away is an admin's to confirm (lib/auth/permissions.ts).
  if (spec.typed) requireRole('admin', `${g.name}: ${spec.what}; going ahead`);
  if (spec.typed && g.confirm === g.name) return;
  throw guardError(g, spec.typed !== null && g.confirm !== undefined);
}
