import 'server-only';
import { noticeInventory } from '../audit/inventory';
import { currentContext } from '../auth/context';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors';

/**
 * The host inventory: a small JSON file (docs/OPERATIONS.md). Its path is $KSC_INVENTORY, else
 * ./data/hosts.json. With no file at all, the console offers this machine's own libvirt through
 * the local transport, the way virt-manager starts with "QEMU/KVM localhost".
 */
const HostEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'ids are lower-case letters, digits and dashes (they appear in URLs)'),
    name: z.string().min(1).optional(),
    transport: z.enum(['ssh', 'local']).default('ssh'),
    address: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).default(22),
    user: z.string().min(1).default('root'),
    uri: z.string().min(1).default('qemu:///system'),
    /** Pinned host key, as `ssh-keygen -lf KEY.pub -E sha256` prints it. */
    hostKey: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a host key is SHA256: followed by 43 base64 characters').optional(),
    /** Private key file; relative paths are relative to the inventory file. */
    identityFile: z.string().optional(),
    /** Use the ssh-agent at $SSH_AUTH_SOCK instead of (or after) a key file. */
    agent: z.boolean().default(false),
    readyTimeoutMs: z.number().int().positive().optional(),
    /**
     * SSH keepalive: a probe every `keepaliveIntervalMs` (default 1000); the host counts as gone after
     * `keepaliveCountMax` (default 3) unanswered. Raise both for a slow (emulated) host.
     */
    keepaliveIntervalMs: z.number().int().positive().optional(),
    keepaliveCountMax: z.number().int().positive().optional(),
    /**
     * Path policy (server/policy/host-policy.ts, docs/OPERATIONS.md "Path policy"): directories the
     * console may point pools, disks, media, overlays and copies at (default: /var/lib/libvirt/images,
     * …/fs, …/netfs; the host's file pools' targets always count), and block devices it may use
     * (default: what lsblk shows free).
     */
    allowedRoots: z.array(z.string().regex(/^\/[^\x00-\x1f\x7f]*$/, 'an absolute path').refine((s) => s.replace(/\/+$/, '') !== '', '/ cannot be a root')).optional(),
    allowedDevices: z.array(z.string().regex(/^\/dev\/[^\x00-\x1f\x7f]+$/, 'a device path under /dev')).optional(),
  })
  .refine((h) => h.transport === 'local' || h.address, { message: 'an ssh host needs an address' });

const InventoryFile = z.object({ hosts: z.array(HostEntry) }).refine(
  (inv) => new Set(inv.hosts.map((h) => h.id)).size === inv.hosts.length,
  { message: 'host ids must be unique' },
);

export type HostConfig = z.infer<typeof HostEntry> & { name: string; identityPath: string | null };

export interface Inventory {
  source: string | null; // the file read, or null for the built-in local host
  hosts: HostConfig[];
}

export function inventoryPath(): string {
  return path.resolve(/* turbopackIgnore: true */ process.env.KSC_INVENTORY ?? 'data/hosts.json');
}

const LOCAL_DEFAULT: HostConfig = {
  id: 'localhost',
  name: 'QEMU/KVM on this machine',
  transport: 'local',
  port: 22,
  user: 'root',
  uri: 'qemu:///system',
  agent: false,
  identityPath: null,
};

let cache: { file: string; mtimeMs: number; inv: Inventory } | null = null;

/** Read (and re-read when the file changes) the inventory. A malformed file is an error, never ignored. */
export function loadInventory(): Inventory {
  const file = inventoryPath();
  if (!existsSync(/* turbopackIgnore: true */ file)) return { source: null, hosts: [LOCAL_DEFAULT] };
  const mtimeMs = statSync(/* turbopackIgnore: true */ file).mtimeMs;
  if (cache && cache.file === file && cache.mtimeMs === mtimeMs) return cache.inv;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(/* turbopackIgnore: true */ file, 'utf8'));
  } catch (e) {
    throw new AppError('inventory-invalid', `The host inventory ${file} is not valid JSON: ${(e as Error).message}`, { status: 500 });
  }
  const parsed = InventoryFile.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('inventory-invalid', `The host inventory ${file} is invalid`, {
      status: 500,
      detail: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const dir = path.dirname(file);
  const inv: Inventory = {
    source: file,
    hosts: parsed.data.hosts.map((h) => ({
      ...h,
      name: h.name ?? h.id,
      identityPath: h.identityFile ? path.resolve(dir, h.identityFile) : null,
    })),
  };
  cache = { file, mtimeMs, inv };
  // Inside a request (the server, not a test or the CLI reading it): record a changed inventory.
  if (currentContext()) void noticeInventory(file, inv.hosts).catch((e: unknown) => console.error('[ksc] recording the inventory change failed:', e));
  return inv;
}

export function findHost(id: string): HostConfig {
  const host = loadInventory().hosts.find((h) => h.id === id);
  if (!host) throw new AppError('host-not-found', `There is no host "${id}" in the inventory`, { status: 404 });
  return host;
}

export function describeAddress(h: HostConfig): string {
  return h.transport === 'local' ? 'local' : `${h.user}@${h.address}:${h.port}`;
}
