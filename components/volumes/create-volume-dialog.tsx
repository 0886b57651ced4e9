'use client';

import { useState } from 'react';
import { Dialog } from '@/components/ui/dialog';
import { createVolume, useVolumeFormats } from '@/lib/api/volume-ops';
import { usePools } from '@/lib/api/pools';
import { useVolumes } from '@/lib/api/volumes';
import { formatBytes } from '@/lib/format';
import { parseSize } from '@/lib/units';
import { formCls as f } from './form-cls';
import { OperationRunner } from './operation-runner';
import { SelectField } from '@/components/ui/form-fields';

/**
 * New volume: format (from the host's qemu-img and the pool type), capacity with units,
 * preallocation, qcow2 options, or a differencing disk on a parent from any pool (its format
 * always passed with -F; capacity defaults to the parent's). Preview, then create.
 */
export function CreateVolumeDialog({ hostId, pool, onClose }: { hostId: string; pool: string; onClose: () => void }) {
  const formats = useVolumeFormats(hostId, pool);
  const pools = usePools(hostId);
  const [name, setName] = useState('');
  const [format, setFormat] = useState('qcow2');
  const [capacity, setCapacity] = useState('10G');
  const [prealloc, setPrealloc] = useState('off');
  const [compat, setCompat] = useState('');
  const [cluster, setCluster] = useState('');
  const [lazy, setLazy] = useState(false);
  const [compression, setCompression] = useState('');
  const [diff, setDiff] = useState(false);
  const [bPool, setBPool] = useState(pool);
  const [bName, setBName] = useState('');
  const [encrypt, setEncrypt] = useState(false);
  const [pass, setPass] = useState('');
  const [pass2, setPass2] = useState('');
  const parents = useVolumes(hostId, bPool, { enabled: diff });
  const parent = parents.data?.find((x) => x.name === bName);
  const fmts = formats.data?.formats ?? ['qcow2', 'raw'];
  const preallocs = formats.data?.preallocation[format] ?? ['off'];
  const canEncrypt = !diff && format === 'qcow2' && (formats.data?.encryption ?? []).includes('luks');
  const encrypted = canEncrypt && encrypt;

  function body(): Record<string, unknown> | string {
    if (!name) return 'Name the volume';
    const cap = capacity.trim() === '' && diff ? undefined : parseSize(capacity);
    if (cap === null) return 'Capacity: a size such as 10G, 512M or bytes';
    if (diff && !bName) return 'Pick the parent (backing) volume';
    if (encrypted && pass.length < 8) return 'Passphrase: at least 8 characters';
    if (encrypted && pass !== pass2) return 'The two passphrases differ';
    const options =
      format === 'qcow2'
        ? { ...(compat ? { compat } : {}), ...(cluster ? { clusterSize: cluster } : {}), ...(lazy ? { lazyRefcounts: true } : {}), ...(compression ? { compressionType: compression } : {}) }
        : {};
    return {
      name,
      format: diff ? 'qcow2' : format,
      ...(cap !== undefined ? { capacity: cap } : {}),
      ...(prealloc !== 'off' && !diff ? { preallocation: prealloc } : {}),
      ...(diff ? { backing: { pool: bPool, name: bName } } : {}),
      ...(encrypted ? { encryption: { format: 'luks', passphrase: pass } } : {}),
      options,
    };
  }

  return (
    <Dialog title={`New volume in ${pool}`} open onClose={onClose} wide>
      {formats.data && !formats.data.canCreate ? (
        <p className="text-sm">
          A {formats.data.poolType} pool cannot create volumes: its volumes are the LUNs or devices the storage presents. Make a LUN on the target, then refresh the pool.
        </p>
      ) : (
        <div className="space-y-4">
          <div className="grid gap-3 sm:grid-cols-2">
            <label className={f.label}>
              Name
              <input className={f.input} value={name} onChange={(e) => setName(e.target.value)} aria-label="Name" placeholder="disk1.qcow2" autoFocus />
            </label>
            <label className={f.label}>
              Kind
              <select className={f.input} value={diff ? 'diff' : 'new'} onChange={(e) => setDiff(e.target.value === 'diff')} aria-label="Kind">
                <option value="new">new disk (dynamic or fixed)</option>
                <option value="diff">differencing disk (overlay on a parent)</option>
              </select>
            </label>
            {diff ? (
              <>
                <label className={f.label}>
                  Parent’s pool
                  <select className={f.input} value={bPool} onChange={(e) => (setBPool(e.target.value), setBName(''))} aria-label="Parent’s pool">
                    {(pools.data ?? []).filter((p) => p.state === 'running').map((p) => (
                      <option key={p.name}>{p.name}</option>
                    ))}
                  </select>
                </label>
                <label className={f.label}>
                  Parent (backing file)
                  <select className={f.input} value={bName} onChange={(e) => setBName(e.target.value)} aria-label="Parent (backing file)">
                    <option value="">choose…</option>
                    {(parents.data ?? []).map((x) => (
                      <option key={x.name} value={x.name}>
                        {x.name} ({x.format ?? '?'}, {formatBytes(x.capacity)})
                      </option>
                    ))}
                  </select>
                </label>
                <p className={`${f.hint} sm:col-span-2`}>
                  The overlay is qcow2; writes go to it, reads fall through to the parent. Never write to a parent that has overlays.
                  {parent && ` Capacity defaults to the parent’s ${formatBytes(parent.capacity)} if left empty.`}
                </p>
              </>
            ) : (
              <>
                <SelectField label="Format" value={format} onChange={(x) => (setFormat(x), setPrealloc('off'))} options={fmts} />
                <SelectField label="Preallocation" value={prealloc} onChange={setPrealloc} options={preallocs} />
              </>
            )}
            <label className={f.label}>
              Capacity (k, M, G, T — powers of 1024)
              <input className={f.input} value={capacity} onChange={(e) => setCapacity(e.target.value)} aria-label="Capacity" placeholder={diff ? 'parent’s size' : '10G'} />
              <span className={f.hint}>{parseSize(capacity) !== null ? `${formatBytes(parseSize(capacity)!)}` : capacity ? 'not a size' : ''}</span>
            </label>
          </div>
          {(format === 'qcow2' || diff) && (
            <fieldset className="grid gap-3 rounded border border-zinc-200 p-3 sm:grid-cols-4 dark:border-zinc-800">
              <legend className="px-1 text-xs font-semibold">qcow2 options</legend>
              <SelectField label="Compat" value={compat} onChange={setCompat} empty="default (1.1)" options={['1.1', '0.10']} />
              <SelectField label="Cluster size" value={cluster} onChange={setCluster} empty="default (64K)" options={['512', '4K', '16K', '64K', '128K', '256K', '512K', '1M', '2M']} />
              <SelectField label="Compression type" value={compression} onChange={setCompression} empty="default (zlib)" options={['zlib', 'zstd']} />
              <label className={`${f.check} mt-4`}>
                <input type="checkbox" checked={lazy} onChange={(e) => setLazy(e.target.checked)} /> Lazy refcounts
              </label>
            </fieldset>
          )}
          {canEncrypt && (
            <fieldset className="grid gap-3 rounded border border-zinc-200 p-3 sm:grid-cols-3 dark:border-zinc-800">
              <legend className="px-1 text-xs font-semibold">Encryption</legend>
              <label className={`${f.check} mt-4`}>
                <input type="checkbox" checked={encrypt} onChange={(e) => setEncrypt(e.target.checked)} /> Encrypt (LUKS)
              </label>
              {encrypt && (
                <>
                  <label className={f.label}>
                    Passphrase
                    <input className={f.input} type="password" autoComplete="new-password" value={pass} onChange={(e) => setPass(e.target.value)} aria-label="Passphrase" />
                  </label>
                  <label className={f.label}>
                    Repeat passphrase
                    <input className={f.input} type="password" autoComplete="new-password" value={pass2} onChange={(e) => setPass2(e.target.value)} aria-label="Repeat passphrase" />
                  </label>
                  <p className={`${f.hint} sm:col-span-3`}>
                    Stored as a libvirt secret (private, usage: the volume’s path) so VMs can open the disk; handed to qemu-img on stdin, never on a command line and never shown
                    again. Lose it and the data is gone. The console then offers resize, wipe and delete for the image (libvirt opens it with the secret); operations that need qemu-img to read its data are not offered.
                  </p>
                </>
              )}
            </fieldset>
          )}
          <OperationRunner hostId={hostId} label="Create" body={body} call={(b) => createVolume(hostId, pool, b)} />
        </div>
      )}
    </Dialog>
  );
}
