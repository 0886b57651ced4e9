import 'server-only';
import { own } from '@/lib/own';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { VolumeCreateInput, type OperationResult, type PoolDto, type VolumeDto } from '@/lib/schemas';
import { toQemuSize } from '@/lib/units';
import { command } from '../commands/command';
import { call, virsh } from '../commands/virsh';
import { AppError, badRequest } from '../errors';
import { requireAllowedPaths, requireBackingInsidePools } from '../policy/require-paths';
import { escapeXml } from '../xml/escape';
import { secretSteps, secretXml } from '../virsh/secrets';
import { findPool, findVolume, FILE_POOLS, hostContext } from './context';
import { hostImageFormats, hostSupportsLuks, NO_CREATE, PREALLOCATION_BY_FORMAT, qcow2OptionItems } from './formats';
import { LUKS_BENCHMARK_FLAKE, refreshStep } from './steps';
import { describeStep, type Step } from '../operations/plan';
import { runOnHost } from '../operations/run-on-host';

type Input = ReturnType<typeof VolumeCreateInput.parse>;

export interface CreatePlan {
  steps: Step[];
  xml?: string;
  path: string | null;
  capacity: number;
  /** Bytes the pool must have free now. */
  needed: number;
  warnings: string[];
  /** The libvirt secret made for an encrypted volume (undone if a later step fails). */
  secretUuid: string | null;
}

/** The qemu-img secret object's id: a fixed word, the passphrase itself comes on stdin. */
const SECRET_ID = 'ksc-sec0';

/**
 * An encrypted volume's two secret steps: a libvirt secret whose usage is the volume's path (so a
 * VM's `<encryption><secret usage=…>` finds it), then its value, on stdin.
 */
function volumeSecretSteps(uri: string, file: string, passphrase: string, uuid: string): Step[] {
  const xml = secretXml({ uuid, usage: { type: 'volume', volume: file }, description: `LUKS passphrase of ${file} (KVM Storage Console)` });
  return secretSteps(uri, uuid, xml, passphrase, { define: 'Store the passphrase as a libvirt secret (usage: the volume path)', value: 'Set the secret’s value (read from stdin, not shown)' });
}

/** `-o` options of qemu-img create: qcow2's, then preallocation. */
function qemuOptions(input: Input): string[] {
  const o: string[] = [];
  const q = input.options;
  if (input.format === 'qcow2') {
    o.push(...qcow2OptionItems(q));
  } else if (Object.values(q).some((v) => v !== undefined)) {
    throw badRequest(`compat, cluster size, lazy refcounts and compression type apply to qcow2 only, not ${input.format}`);
  }
  if (input.preallocation && input.preallocation !== 'off') {
    const allowed = own(PREALLOCATION_BY_FORMAT, input.format) ?? [];
    if (!allowed.includes(input.preallocation))
      throw badRequest(`${input.format} does not support preallocation=${input.preallocation} (it supports: ${allowed.join(', ') || 'none'})`);
    o.push(`preallocation=${input.preallocation}`);
  }
  if (q.compat === '0.10' && (q.lazyRefcounts || q.compressionType === 'zstd'))
    throw badRequest('lazy refcounts and zstd compression need compat 1.1');
  return o;
}

/**
 * The plan of a new volume. File pools (dir, fs, netfs): `qemu-img create` in the pool's
 * directory — it knows every format and qcow2 option — then a pool refresh; a differencing disk
 * always names its parent's format (`-F`), since probing a backing file's format is a known
 * hole (a raw guest image could pose as qcow2). Device pools: libvirt's `vol-create` with XML.
 */
export function planCreate(uri: string, pool: PoolDto, input: Input, backing: VolumeDto | null, existing: string[]): CreatePlan {
  if (existing.includes(input.name)) throw new AppError('volume-exists', `Pool “${pool.name}” already has a volume named “${input.name}”`, { status: 409 });
  const capacity = input.capacity ?? backing?.capacity;
  if (capacity === undefined) throw badRequest('capacity is required (or pick a backing volume: its size is the default)');
  if (capacity <= 0) throw badRequest('capacity must be above zero');
  const warnings: string[] = [];
  if (FILE_POOLS.has(pool.type)) {
    if (!pool.target.path) throw badRequest(`pool ${pool.name} has no target directory`);
    const file = path.posix.join(pool.target.path, input.name);
    const opts = qemuOptions(input);
    const enc = input.encryption;
    const args = ['create'];
    if (enc) {
      if (input.format !== 'qcow2') throw badRequest(`encryption is offered for qcow2 volumes, not ${input.format}`);
      if (backing) throw badRequest('an encrypted differencing disk is not offered: create the encrypted volume without a backing file');
      // The passphrase is read by qemu-img from its stdin (file=/dev/stdin), never from argv.
      args.push('--object', `secret,id=${SECRET_ID},file=/dev/stdin,format=raw`);
      opts.unshift(`encrypt.format=${enc.format}`, `encrypt.key-secret=${SECRET_ID}`);
    }
    args.push('-f', input.format);
    if (opts.length) args.push('-o', opts.join(','));
    if (backing) {
      if (!['qcow2', 'qed', 'vmdk'].includes(input.format)) throw badRequest(`a differencing disk must be qcow2 (or qed, vmdk), not ${input.format}`);
      if (!backing.format) throw badRequest(`the format of ${backing.name} is unknown, and a backing file needs one (-F)`);
      args.push('-b', backing.path, '-F', backing.format);
      if (backing.capacity > capacity) warnings.push(`the new disk (${capacity} B) is smaller than its parent (${backing.capacity} B): the guest sees a truncated disk`);
    }
    args.push('--', file, toQemuSize(capacity));
    const full = input.preallocation === 'full' || input.preallocation === 'falloc';
    const secretUuid = enc ? randomUUID() : null;
    return {
      steps: [
        // qemu-img create truncates an existing file: make sure none is there (libvirt may not list it yet).
        { title: `Check that ${file} does not exist yet`, inv: command('test', '!', '-e', file) },
        ...(enc && secretUuid ? volumeSecretSteps(uri, file, enc.passphrase, secretUuid) : []),
        enc
          ? { title: `Create ${input.name} (qcow2, LUKS-encrypted; the passphrase on stdin)`, inv: command('qemu-img', ...args), stdin: enc.passphrase, secret: true, retryIf: LUKS_BENCHMARK_FLAKE }
          : { title: `Create ${input.name} (${input.format})`, inv: command('qemu-img', ...args) },
        refreshStep(uri, pool.name),
      ],
      secretUuid,
      path: file,
      capacity,
      needed: full ? capacity : input.format === 'qcow2' && input.preallocation === 'metadata' ? Math.ceil(capacity / 8192) : 0,
      warnings,
    };
  }
  if (NO_CREATE.has(pool.type))
    throw new AppError('pool-cannot-create', `a ${pool.type} pool cannot create volumes: its volumes are the LUNs or devices the storage presents (make a LUN on the target, then refresh the pool)`, { status: 422 });
  if (backing) throw badRequest(`a ${pool.type} pool cannot hold differencing disks: use a dir, fs or netfs pool`);
  if (input.encryption) throw badRequest(`encrypted volumes are offered in dir, fs and netfs pools, not in a ${pool.type} pool`);
  if (input.format !== 'raw') throw badRequest(`a ${pool.type} pool holds raw volumes only`);
  const allocation = input.allocation ?? (input.preallocation === 'full' ? capacity : undefined);
  const xml = [
    '<volume>',
    `  <name>${escapeXml(input.name)}</name>`,
    `  <capacity unit='bytes'>${capacity}</capacity>`,
    ...(allocation !== undefined ? [`  <allocation unit='bytes'>${allocation}</allocation>`] : []),
    '</volume>',
  ].join('\n');
  return {
    steps: [{ title: `Create ${input.name} in ${pool.name}`, inv: virsh(uri, call('vol-create', '--pool', pool.name, '--file', '/dev/stdin')), stdin: xml }],
    xml,
    path: null,
    capacity,
    needed: allocation ?? capacity,
    warnings,
    secretUuid: null,
  };
}

export async function createVolume(hostId: string, poolName: string, body: unknown): Promise<OperationResult> {
  const input = VolumeCreateInput.parse(body);
  const { host, t, storage } = await hostContext(hostId, { fresh: !input.dryRun });
  const pool = findPool(storage, hostId, poolName);
  if (FILE_POOLS.has(pool.type)) {
    const formats = await hostImageFormats(host);
    if (!formats.includes(input.format)) throw badRequest(`qemu-img on ${hostId} cannot create ${input.format} images (it can: ${formats.join(', ')})`);
    if (input.encryption && !(await hostSupportsLuks(host))) throw badRequest(`qemu-img on ${hostId} cannot create LUKS-encrypted qcow2 images (no encrypt.format option)`);
  }
  const backing = input.backing ? findVolume(storage, hostId, input.backing.pool, input.backing.name) : null;
  const existing = (storage.volumes.get(pool.name) ?? []).map((v) => v.name);
  const plan = planCreate(host.uri, pool, input, backing, existing);
  // The path policy: a differencing disk's whole chain inside the pools; the new file (resolved) under the roots.
  const policy = backing ? await requireBackingInsidePools(host, [{ path: backing.path, format: backing.format }], { storage }) : undefined;
  if (plan.path) await requireAllowedPaths(host, [{ path: plan.path, kind: 'destination', allow: { roots: true, devices: false } }], { storage, policy });
  const warnings = [...plan.warnings];
  if (pool.volumeCapacity !== null && pool.volumeCapacity + plan.capacity > pool.capacity)
    warnings.push(`thin provisioning: the pool's volumes would promise ${pool.volumeCapacity + plan.capacity} B of ${pool.capacity} B`);
  if (plan.needed > pool.available)
    throw new AppError('insufficient-space', `Pool “${pool.name}” has ${pool.available} B free; this volume needs ${plan.needed} B now`, {
      status: 409,
      detail: { needed: plan.needed, available: pool.available },
    });
  const preview = { steps: plan.steps.map(describeStep), ...(plan.xml ? { xml: plan.xml } : {}), warnings };
  if (input.dryRun) return { dryRun: true, ...preview };
  // A failed encrypted create leaves no orphan secret behind: the secret step's undo removes it.
  return { dryRun: false, ...preview, steps: await runOnHost(hostId, t, plan.steps) };
}
