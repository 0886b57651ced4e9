import 'server-only';
import path from 'node:path';

/**
 * The path policy's matching (pure): normalised absolute paths, "inside a root" up to a `/`
 * boundary, and which requests fall outside a policy once every path is resolved on the host.
 * The policy itself is host-policy.ts; the checks that resolve and refuse are require-paths.ts.
 */

export type PathKind =
  | 'pool-target'
  | 'pool-source'
  | 'attach'
  | 'media'
  | 'overlay'
  | 'destination'
  | 'backing'
  | 'extent';

export interface PathRequest {
  path: string;
  kind: PathKind;
  /** Where it may lie: under the allowed roots, one of the allowed devices (both by default), a pool volume or pool directory, under extra roots, or exactly one of `also`. */
  allow?: { roots?: boolean; devices?: boolean; poolVolumes?: boolean; poolDirs?: boolean; under?: string[]; also?: string[] };
}

export interface Refusal {
  path: string;
  resolved: string;
  kind: PathKind;
}

/** The lists a request is matched against (host-policy.ts's PathPolicy has them). */
export interface PolicyLists {
  allowedRoots: string[];
  allowedDevices: string[];
  poolDirs: string[];
  poolVolumes: string[];
}

/** Lexically normalised absolute path (no trailing slash), or null when it is not absolute. */
export function normalizePath(p: string): string | null {
  if (!p.startsWith('/') || p.includes('\0')) return null;
  const n = path.posix.normalize(p);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

const hasDotDot = (p: string) => p.split('/').includes('..');

/**
 * Whether `p` lies in `root` (or is `root`): both absolute, already resolved. `/` is never a root,
 * a path that is `/` or has a `..` segment is never inside, and the match stops at a `/` boundary
 * (`/var/lib/libvirt/images2` is not in `/var/lib/libvirt/images`).
 */
export function isInsideRoot(root: string, p: string): boolean {
  if (!root.startsWith('/') || !p.startsWith('/') || hasDotDot(root) || hasDotDot(p)) return false;
  const r = normalizePath(root);
  const q = normalizePath(p);
  if (!r || !q || r === '/' || q === '/') return false;
  return q === r || q.startsWith(r + '/');
}

export const isInsideAny = (roots: readonly string[], p: string) => roots.some((r) => isInsideRoot(r, p));

/**
 * Pure: which requests fall outside, given every path's resolution (`resolved`, input → realpath).
 * Roots, devices, pool dirs and volumes are compared resolved too.
 */
export function checkResolved(policy: PolicyLists, reqs: readonly PathRequest[], resolved: ReadonlyMap<string, string>): Refusal[] {
  const rs = (p: string) => normalizePath(resolved.get(p) ?? p) ?? p;
  const roots = policy.allowedRoots.map(rs);
  const dirs = policy.poolDirs.map(rs);
  const devices = new Set(policy.allowedDevices.map(rs));
  const volumes = new Set(policy.poolVolumes.map(rs));
  const out: Refusal[] = [];
  for (const q of reqs) {
    const got = resolved.get(q.path);
    const r = got === undefined ? null : normalizePath(got);
    const a = q.allow ?? {};
    const ok =
      !!r &&
      !hasDotDot(r) &&
      r !== '/' &&
      (((a.roots ?? true) && isInsideAny(roots, r)) ||
        ((a.devices ?? true) && devices.has(r)) ||
        (!!a.poolVolumes && volumes.has(r)) ||
        (!!a.poolDirs && isInsideAny(dirs, r)) ||
        (a.under ?? []).some((u) => isInsideRoot(rs(u), r)) ||
        (a.also ?? []).map(rs).includes(r));
    if (!ok) out.push({ path: q.path, resolved: r ?? got ?? q.path, kind: q.kind });
  }
  return out;
}

