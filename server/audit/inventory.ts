import 'server-only';
import { createHash } from 'node:crypto';
import { database } from '../db';
import type { HostConfig } from '../hosts/inventory';
import { appendAuditSafely } from './log';

/**
 * Inventory changes in the audit log. The inventory is a file an admin edits; the console notices
 * a change when it re-reads it, compares each host's connection facts with what it last recorded
 * (kept in the database, so a restart or another replica notices too) and records what was added,
 * removed or changed — host ids and fields, never key material.
 */
const FIELDS = ['transport', 'address', 'port', 'user', 'uri', 'hostKey', 'identityFile', 'agent'] as const;
const KEY = 'inventory.hosts';

type Snapshot = Record<string, string>;

function snapshot(hosts: readonly HostConfig[]): Snapshot {
  const out: Snapshot = {};
  for (const h of hosts) out[h.id] = createHash('sha256').update(JSON.stringify(FIELDS.map((f) => (h as Record<string, unknown>)[f] ?? null))).digest('hex').slice(0, 16);
  return out;
}

let last: string | null = null;

export async function noticeInventory(source: string | null, hosts: readonly HostConfig[]): Promise<void> {
  const now = snapshot(hosts);
  const text = JSON.stringify(now);
  if (text === last) return;
  last = text;
  const db = await database();
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  let before: Snapshot = {};
  try {
    before = row ? (JSON.parse(row.value) as Snapshot) : {};
  } catch {
    /* an unreadable snapshot counts as empty */
  }
  const added = Object.keys(now).filter((id) => !Object.hasOwn(before, id));
  const removed = Object.keys(before).filter((id) => !Object.hasOwn(now, id));
  const changed = Object.keys(now).filter((id) => Object.hasOwn(before, id) && before[id] !== now[id]);
  if (row && !added.length && !removed.length && !changed.length) return;
  if (row) await db.updateTable('settings').set({ value: text }).where('key', '=', KEY).execute();
  else await db.insertInto('settings').values({ key: KEY, value: text }).execute();
  await appendAuditSafely({
    actorKind: 'system',
    actor: null,
    objectKind: 'inventory',
    object: source,
    operation: row ? 'inventory.change' : 'inventory.first-seen',
    result: 'ok',
    detail: { added, removed, changed },
  });
}
