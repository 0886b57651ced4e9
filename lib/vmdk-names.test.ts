import { describe, expect, it } from 'vitest';
import { busForAdapter } from './api/vmdk-migration';
import { qcow2NameFor } from './vmdk-names';

describe('migration defaults', () => {
  it('names the qcow2 after the vmdk', () => {
    expect(qcow2NameFor('web01.vmdk')).toBe('web01.qcow2');
    expect(qcow2NameFor('Web 01.VMDK')).toBe('Web 01.qcow2');
    expect(qcow2NameFor('disk')).toBe('disk.qcow2');
  });
  it('suggests a bus the guest can boot from, from ddb.adapterType', () => {
    expect(busForAdapter('ide').bus).toBe('ide');
    expect(busForAdapter('lsilogic').bus).toBe('sata');
    expect(busForAdapter('pvscsi').bus).toBe('scsi');
    expect(busForAdapter(null).bus).toBe('sata');
  });
});
