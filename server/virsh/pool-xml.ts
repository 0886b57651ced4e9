import 'server-only';
import { AppError } from '../errors';
import { parseXml, text, attr } from '../xml/parse';

/**
 * Editing a pool = `virsh pool-define` of the edited XML, fed on stdin (no temp file, no value
 * on a command line). libvirt keys a persistent pool by name and UUID: a changed <name> would
 * define a second pool, a changed or missing <uuid> is refused by libvirt ("already exists with
 * uuid …"), so both are checked here first with a clear message. Everything else is libvirt's
 * to judge, and its error is reported verbatim.
 *
 * pool-define rewrites only the persistent definition: a running pool keeps its live config
 * until it is stopped and started again.
 */
// The commands (pool-dumpxml, pool-define) are server/virsh/pools.ts's builders.

export interface PoolXmlIdentity {
  name: string;
  uuid: string;
  type: string;
}

/** Checks the edited XML before libvirt sees it; throws 422 `invalid-pool-xml` with the reason. */
export function checkEditedPoolXml(xml: string, current: PoolXmlIdentity): void {
  const bad = (message: string) => new AppError('invalid-pool-xml', message, { status: 422 });
  if (!xml.trim()) throw bad('The XML is empty');
  if (xml.length > 256 * 1024) throw bad('The XML is larger than 256 KiB');
  let root;
  try {
    root = parseXml(xml, 'pool');
  } catch (e) {
    throw bad((e as Error).message);
  }
  const name = text(root, 'name');
  if (name !== current.name)
    throw bad(`<name> must stay “${current.name}” (found ${name === undefined ? 'none' : `“${name}”`}): renaming would define a second pool`);
  const uuid = text(root, 'uuid');
  if (uuid === undefined) throw bad(`<uuid> must stay ${current.uuid}: without it libvirt refuses to redefine the pool`);
  if (uuid.trim().toLowerCase() !== current.uuid.toLowerCase()) throw bad(`<uuid> must stay ${current.uuid} (found ${uuid})`);
  const type = attr(root, 'type');
  if (type !== current.type) throw bad(`<pool type='${type ?? ''}'> must stay '${current.type}': a pool cannot change its type`);
}
