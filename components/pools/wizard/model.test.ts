import { describe, expect, it } from 'vitest';
import { buildEffect, CREATABLE_POOL_TYPES, specOf, usesSourceField } from '@/lib/pool-types';
import { PoolCreateInput } from '@/lib/schemas';
import { emptyForm, TYPE_INFO, toBody, typeInfo, validate, type PoolType, type WizardForm } from './model';

/** A form with every field filled, so toBody shows which ones each type keeps. */
function everything(type: PoolType): WizardForm {
  return {
    ...emptyForm(type),
    name: 'pt-pool',
    host: 'san.example.com',
    port: '3260',
    dir: '/srv/export',
    device: '/dev/vdb',
    devices: ['/dev/vdc', '/dev/vdd'],
    sourceName: 'pt_name',
    format: 'ext4',
    protocolVersion: '4',
    initiator: 'iqn.2026-11.com.example:host',
    adapter: 'host0',
    logicalMode: 'new',
    chap: true,
    authUser: 'chap-user',
    authSecret: 'chap-pass',
    targetPath: '/var/lib/libvirt/images/pt-pool',
    mode: '0711',
    owner: '0',
    group: '0',
    build: true,
    overwrite: true,
    confirm: 'pt-pool',
  };
}

/** The body's source keys, named like the table's source fields. */
const FIELD_OF: Record<string, string> = { host: 'host', port: 'port', dir: 'dir', device: 'device', devices: 'devices', name: 'name', format: 'format', protocolVersion: 'protocol', initiator: 'initiator', adapter: 'adapter', auth: 'auth' };

/** Per type: the smallest valid form (what a user must fill). */
const VALID: Record<PoolType, Partial<WizardForm>> = {
  dir: {},
  fs: { device: '/dev/vdb' },
  netfs: { host: 'nfs.example.com', dir: '/srv/nfs' },
  logical: { sourceName: 'vg0' },
  disk: { device: '/dev/vdb' },
  iscsi: { host: 'san.example.com', device: 'iqn.2026-11.com.example:t' },
  'iscsi-direct': { host: 'san.example.com', device: 'iqn.2026-11.com.example:t', initiator: 'iqn.2026-11.com.example:i' },
  scsi: { adapter: 'host0' },
  mpath: {},
  gluster: { host: 'gluster.example.com', sourceName: 'gv0' },
  rbd: { host: 'mon.example.com', sourceName: 'rbdpool' },
  zfs: { sourceName: 'tank' },
};

/** Per type: which field an empty form is missing. */
const MISSING: Record<PoolType, string[]> = {
  dir: [],
  fs: ['source.device'],
  netfs: ['source.host', 'source.dir'],
  logical: ['source.name'],
  disk: ['source.device'],
  iscsi: ['source.host', 'source.device'],
  'iscsi-direct': ['source.host', 'source.device', 'source.initiator'],
  scsi: ['source.adapter'],
  mpath: [],
  gluster: ['source.host', 'source.name'],
  rbd: ['source.host', 'source.name'],
  zfs: ['source.name'],
};

describe('the wizard’s types', () => {
  it('are the table’s creatable types, in its order, with its labels', () => {
    expect(TYPE_INFO.map((t) => t.type)).toEqual([...CREATABLE_POOL_TYPES]);
    for (const t of CREATABLE_POOL_TYPES) expect(typeInfo(t)).toBe(specOf(t));
  });

  it('tick Build by default as the table says', () => {
    for (const t of CREATABLE_POOL_TYPES) expect([t, emptyForm(t).build]).toEqual([t, Boolean(specOf(t).build?.byDefault)]);
  });
});

describe.each(CREATABLE_POOL_TYPES.map((t) => [t]))('toBody for a %s pool', (type) => {
  const spec = specOf(type);

  it('keeps exactly the source fields the table lists', () => {
    const body = toBody(everything(type));
    const kept = Object.entries(body.source ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k]) => FIELD_OF[k]);
    expect(kept.sort()).toEqual([...spec.source].sort());
    for (const k of Object.keys(body.source ?? {})) expect(usesSourceField(type, FIELD_OF[k] as never)).toBe(true);
  });

  it('sends a target (with permissions) only where the type takes one', () => {
    const body = toBody(everything(type));
    if (spec.target) expect(body.target).toEqual({ path: '/var/lib/libvirt/images/pt-pool', permissions: { mode: '0711', owner: '0', group: '0' } });
    else expect(body.target).toEqual({});
  });

  it('builds only where libvirt can, and overwrites only where build formats', () => {
    const body = toBody(everything(type));
    expect(body.build).toBe(spec.build !== null);
    expect(body.overwrite).toBe(Boolean(spec.build?.formats));
    expect('confirm' in body).toBe(Boolean(spec.build?.formats));
    expect(buildEffect(type) === undefined).toBe(!body.build);
  });

  it('makes a body the shared schema accepts', () => {
    const f = { ...emptyForm(type), name: 'pt-pool', ...VALID[type] };
    expect(PoolCreateInput.safeParse(toBody(f)).success).toBe(true);
  });
});

describe.each(CREATABLE_POOL_TYPES.map((t) => [t]))('validate for a %s pool', (type) => {
  it('passes the smallest valid form', () => {
    expect(validate({ ...emptyForm(type), name: 'pt-pool', ...VALID[type] }, [])).toEqual({});
  });

  it('names the fields an empty form is missing', () => {
    const errors = validate({ ...emptyForm(type), name: 'pt-pool' }, []);
    expect(Object.keys(errors).sort()).toEqual([...MISSING[type]].sort());
  });

  it('asks for the typed name before an overwrite, on formatting types only', () => {
    const f = { ...emptyForm(type), name: 'pt-pool', ...VALID[type], build: true, overwrite: true, confirm: '' };
    const errors = validate(f, []);
    expect('confirm' in errors).toBe(Boolean(specOf(type).build?.formats));
  });

  it('refuses a name the host already has', () => {
    expect(validate({ ...emptyForm(type), name: 'pt-pool', ...VALID[type] }, ['pt-pool']).name).toMatch(/already exists/);
  });
});

describe('validate’s per-type rules', () => {
  it('wants a device path for fs and disk', () => {
    expect(validate({ ...emptyForm('fs'), name: 'pt-pool', device: 'vdb' }, [])['source.device']).toMatch(/\/dev\//);
  });
  it('wants devices for a new volume group, and none for an existing one', () => {
    expect(validate({ ...emptyForm('logical'), name: 'pt-pool', sourceName: 'vg', logicalMode: 'new' }, [])['source.devices']).toBeDefined();
    expect(toBody({ ...emptyForm('logical'), name: 'pt-pool', sourceName: 'vg', logicalMode: 'existing', devices: ['/dev/vdb'] }).source?.devices).toBeUndefined();
  });
  it('wants the CHAP user and password once CHAP is on', () => {
    const errors = validate({ ...emptyForm('iscsi'), ...VALID.iscsi, name: 'pt-pool', chap: true }, []);
    expect(Object.keys(errors).sort()).toEqual(['source.auth.secret', 'source.auth.username']);
  });
});
