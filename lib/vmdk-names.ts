/**
 * Names VMware gives extent (data) files: `disk-flat.vmdk` (monolithicFlat, vmfs), `disk-f001.vmdk`,
 * `disk-s001.vmdk` (twoGbMaxExtent*), `disk-delta.vmdk` (vmfsSparse snapshot). Returns the
 * descriptor name the file probably belongs to, or null. Shared by the server's inspection and
 * the migration flow's source list.
 */
export function descriptorNameOfExtent(name: string): string | null {
  const m = /^(.*)-(?:flat|delta|sesparse|[fs]\d{3})\.vmdk$/i.exec(name);
  return m ? `${m[1]}.vmdk` : null;
}

/** The default name of the migrated image: the source's stem + .qcow2. */
export function qcow2NameFor(vmdk: string): string {
  return `${vmdk.replace(/\.vmdk$/i, '')}.qcow2`;
}
