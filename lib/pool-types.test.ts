import { describe, expect, it } from 'vitest';
import {
  buildEffect,
  buildFormats,
  buildsByDefault,
  canBuild,
  canCreateVolumes,
  canDeleteStorage,
  canResizeVolumes,
  CREATABLE_POOL_TYPES,
  hasLocalSourceDevices,
  hasTarget,
  isFilePool,
  mountsSource,
  POOL_TYPE_TABLE,
  POOL_TYPES,
  poolTypeSpec,
  poolTypesWhere,
  specOf,
  targetUnderDev,
} from './pool-types';
import { defaultTargetPath, PoolCreateInput } from './schemas';

/** The types answering yes, sorted (the table's order is the wizard's, not the point here). */
const where = (q: Parameters<typeof poolTypesWhere>[0]) => poolTypesWhere(q).sort();

describe('the pool-type table', () => {
  it('has one row per libvirt pool type, in the declared order', () => {
    expect(POOL_TYPE_TABLE.map((s) => s.type)).toEqual([...POOL_TYPES]);
    expect(new Set(POOL_TYPES).size).toBe(13);
    expect(POOL_TYPES).toEqual(expect.arrayContaining(['dir', 'fs', 'netfs', 'logical', 'disk', 'iscsi', 'iscsi-direct', 'scsi', 'mpath', 'rbd', 'gluster', 'zfs', 'vstorage']));
  });

  it('is the schema’s list of creatable types', () => {
    expect(PoolCreateInput.shape.type.options).toEqual([...CREATABLE_POOL_TYPES]);
    for (const t of CREATABLE_POOL_TYPES) expect(POOL_TYPES).toContain(t);
    expect(CREATABLE_POOL_TYPES).not.toContain('vstorage');
  });

  it('knows which pools hold image files, which devices, which network images', () => {
    expect(where((s) => s.backing === 'file')).toEqual(['dir', 'fs', 'netfs', 'vstorage']);
    expect(where((s) => s.backing === 'network')).toEqual(['gluster', 'rbd']);
    expect(where((s) => s.backing === 'device')).toEqual(['disk', 'iscsi', 'iscsi-direct', 'logical', 'mpath', 'scsi', 'zfs']);
    expect(['dir', 'fs', 'netfs'].every(isFilePool)).toBe(true);
    expect(isFilePool('logical')).toBe(false);
  });

  it('formats on build for fs, disk and logical only (the --overwrite/--no-overwrite types)', () => {
    expect(where((s) => Boolean(s.build?.formats))).toEqual(['disk', 'fs', 'logical']);
    expect(buildFormats('dir')).toBe(false);
    expect(buildFormats('zfs')).toBe(false);
  });

  it('says what build does in one text per buildable type, zfs included', () => {
    expect(where((s) => s.build !== null)).toEqual(['dir', 'disk', 'fs', 'logical', 'netfs', 'vstorage', 'zfs']);
    for (const t of POOL_TYPES) expect(canBuild(t)).toBe(buildEffect(t) !== undefined);
    expect(buildEffect('zfs')).toMatch(/zpool/);
    expect(buildEffect('fs')).toMatch(/mkfs/);
    expect(buildEffect('iscsi')).toBeUndefined();
  });

  it('builds by default only where building cannot destroy data', () => {
    expect(where((s) => Boolean(s.build?.byDefault))).toEqual(['dir', 'netfs', 'vstorage']);
    for (const s of POOL_TYPE_TABLE) if (s.build?.formats || s.build?.effect.includes('wipe')) expect(buildsByDefault(s.type)).toBe(false);
  });

  it('knows which pools make, resize and delete volumes', () => {
    expect(where((s) => !s.volumes.create)).toEqual(['iscsi', 'iscsi-direct', 'mpath', 'scsi']);
    expect(where((s) => !s.volumes.resize)).toEqual(['disk', 'iscsi', 'iscsi-direct', 'mpath', 'scsi']);
    expect(where((s) => !s.volumes.delete)).toEqual(['iscsi', 'iscsi-direct', 'mpath', 'scsi']);
    expect(canCreateVolumes('disk')).toBe(true);
    expect(canResizeVolumes('disk')).toBe(false);
  });

  it('knows which pools libvirt can delete the storage of, with what that does', () => {
    expect(where((s) => s.deleteStorage !== null)).toEqual(['dir', 'disk', 'fs', 'logical', 'netfs', 'vstorage', 'zfs']);
    expect(poolTypeSpec('dir')?.deleteStorage).toMatch(/only if it is empty/);
    expect(canDeleteStorage('iscsi')).toBe(false);
  });

  it('has discovery where libvirt offers it, and refuses the one that crashes libvirtd', () => {
    expect(where((s) => s.discovery === 'yes')).toEqual(['gluster', 'iscsi', 'logical', 'netfs']);
    expect(where((s) => s.discovery === 'unsafe')).toEqual(['iscsi-direct']);
  });

  it('keeps device targets under /dev and file targets in the allowed roots', () => {
    expect(where((s) => s.target === 'dev')).toEqual(['disk', 'iscsi', 'logical', 'mpath', 'scsi']);
    expect(where((s) => s.target === 'dir')).toEqual(where((s) => s.backing === 'file'));
    expect(where((s) => s.target === null)).toEqual(['gluster', 'iscsi-direct', 'rbd', 'zfs']);
    expect(targetUnderDev('disk')).toBe(true);
    expect(targetUnderDev('dir')).toBe(false);
  });

  it('has a default target exactly where the type takes one (lib/schemas defaultTargetPath)', () => {
    for (const t of CREATABLE_POOL_TYPES) expect([t, defaultTargetPath({ type: t, name: 'p', source: {} }) !== undefined]).toEqual([t, hasTarget(t)]);
  });

  it('lists local source devices only for types whose source has device fields', () => {
    expect(where((s) => s.localSourceDevices)).toEqual(['disk', 'fs', 'logical', 'zfs']);
    for (const s of POOL_TYPE_TABLE) if (s.localSourceDevices) expect(s.source.some((f) => f === 'device' || f === 'devices')).toBe(true);
    // An iSCSI "device" is a target IQN, not a host path.
    expect(hasLocalSourceDevices('iscsi')).toBe(false);
  });

  it('mounts fs, netfs and vstorage', () => {
    expect(where((s) => s.mounts)).toEqual(['fs', 'netfs', 'vstorage']);
    expect(mountsSource('dir')).toBe(false);
  });

  it('answers no for a name that is no type, prototype names included', () => {
    for (const t of ['', 'sheepdog', 'constructor', '__proto__', 'toString', 'DIR']) {
      expect(poolTypeSpec(t)).toBeUndefined();
      for (const q of [isFilePool, canBuild, buildFormats, canCreateVolumes, canDeleteStorage, hasTarget, targetUnderDev, hasLocalSourceDevices, mountsSource]) expect(q(t)).toBe(false);
    }
    expect(() => specOf('nope' as never)).toThrow();
  });

  it('has a label and a blurb for every type', () => {
    for (const s of POOL_TYPE_TABLE) {
      expect(s.label.length).toBeGreaterThan(2);
      expect(s.blurb.length).toBeGreaterThan(20);
    }
  });
});
