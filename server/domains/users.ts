import 'server-only';
import { call, parseVirshBatch, virshBatch } from '../commands/virsh';
import type { DiskDto } from '@/lib/schemas';
import type { Transport } from '../transport/types';
import type { HostStorage } from '../virsh/read-host';
import { parseDomainXml } from '../xml/domain';

/**
 * Which VMs use an image, from both definitions of every VM: the host read looks at the live
 * XML, where a running VM's persistent-only disk (attached with --config, waiting for the next
 * boot) does not appear — yet deleting that image would break the VM's next start. So the
 * guards also read every VM's inactive XML (one virsh on stdin).
 */
export async function imageUsers(t: Transport, uri: string, storage: HostStorage): Promise<Map<string, Set<string>>> {
  const users = new Map<string, Set<string>>();
  const add = (key: string, vm: string) => users.set(key, (users.get(key) ?? new Set<string>()).add(vm));
  const addDisks = (vm: string, disks: readonly DiskDto[]) => {
    for (const d of disks) {
      if (d.sourcePool && d.sourceVolume) add(`${d.sourcePool}\0${d.sourceVolume}`, vm);
      if (d.source) add(d.source, vm);
    }
  };
  for (const d of storage.domains) addDisks(d.name, d.disks);
  const names = storage.domains.map((d) => d.uuid);
  if (names.length) {
    const b = virshBatch(uri, names.map((u) => call('dumpxml', '--inactive', '--', u)), { mode: 'stdin' });
    const r = await t.exec(b.command, { stdin: b.stdin, timeoutMs: 30_000 + names.length * 20 });
    for (const res of parseVirshBatch(b, r.stdout)) {
      if (!res.ok) continue;
      const dom = parseDomainXml(res.output);
      addDisks(dom.name, dom.disks);
    }
  }
  return users;
}

export const usersOf = (users: Map<string, Set<string>>, path: string, pool?: string, volume?: string): string[] =>
  [...new Set([...(users.get(path) ?? []), ...(pool && volume ? (users.get(`${pool}\0${volume}`) ?? []) : [])])].sort();
