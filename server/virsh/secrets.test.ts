import { describe, expect, it } from 'vitest';
import { parseSecretList } from './secrets';

// The layout the lab's libvirt 9.0 prints for `virsh secret-list` (header, rule, rows, blank line).
const OUT = ` UUID                                   Usage
-------------------------------------------------------------------
 54ad7aa2-484c-4dc3-a6c9-45aecb60286e   volume /var/lib/libvirt/images/a b.qcow2
 0c5d52b4-93d8-4bd3-9a8e-07a1c4a6e8c1   iscsi ksc-pool-t1

`;

describe('parseSecretList', () => {
  it('reads uuid and usage, keeping spaces inside the usage id', () => {
    expect(parseSecretList(OUT)).toEqual([
      { uuid: '54ad7aa2-484c-4dc3-a6c9-45aecb60286e', usage: 'volume /var/lib/libvirt/images/a b.qcow2' },
      { uuid: '0c5d52b4-93d8-4bd3-9a8e-07a1c4a6e8c1', usage: 'iscsi ksc-pool-t1' },
    ]);
  });
  it('an empty list has no rows', () => {
    expect(parseSecretList(' UUID   Usage\n---------------\n\n')).toEqual([]);
  });
});
