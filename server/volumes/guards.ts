import 'server-only';
import { command } from '../commands/command';
import { parseImageInfo } from '../qemu-img/info';
import { AppError } from '../errors';
import { guard, guardError } from '../operations/guards';
import type { VolumeContext, VolumeRead } from './context';

/**
 * The hazards of writing to disk images, as guards. Each refusal is a 409 whose code names the
 * hazard and whose detail lists what would be hurt, so the UI can show it before asking.
 *
 * | hazard               | when                                             | way out               |
 * |----------------------|--------------------------------------------------|-----------------------|
 * | volume-in-use        | a running VM holds the image                     | shut the VM down      |
 * | has-overlays         | writing to an image other images are based on    | confirm = image name  |
 * | shrink               | resize below the current size                    | confirm = image name  |
 * | unsafe-rebase        | rebase -u (headers only, data not checked)       | confirm = image name  |
 * | base-has-other-overlays | commit into a base that other overlays use    | confirm = base name   |
 * | wipe, delete-volume, snapshot-apply, snapshot-delete | always            | confirm = name        |
 */
export function refuseIfRunning(ctx: VolumeRead, what: string): void {
  if (ctx.runningUsers.length === 0) return;
  const vms = ctx.runningUsers.join(', ');
  throw guardError({
    hazard: 'volume-in-use',
    name: ctx.volume.name,
    message: `${what} is refused: ${vms} ${ctx.runningUsers.length === 1 ? 'is' : 'are'} running and using ${ctx.volume.name} — shut ${ctx.runningUsers.length === 1 ? 'it' : 'them'} down first`,
    affected: { runningVms: ctx.runningUsers, volume: ctx.volume.path },
  });
}

/**
 * qemu-img cannot open a LUKS image's data without its key, and the console keeps that key only
 * in a private libvirt secret, which libvirt never hands back. So only `info` (headers) and what
 * libvirt itself does with the secret (a VM using the disk, vol-resize, wipe, delete) are offered.
 */
export function refuseIfEncrypted(volume: { name: string; encryption: string | null }, what: string): void {
  if (!volume.encryption) return;
  throw new AppError(
    'encrypted-image',
    `${what} is not offered: ${volume.name} is ${volume.encryption.toUpperCase()}-encrypted and qemu-img needs its key, which is kept only in a private libvirt secret. Use the disk through a VM (libvirt unlocks it), or resize, wipe or delete it.`,
    { status: 422, detail: { volume: volume.name, encryption: volume.encryption } },
  );
}

/**
 * libvirt reads a VMware descriptor (monolithicFlat, twoGbMaxExtent*) as a few hundred bytes of
 * raw, so an operation that trusts its format would copy the descriptor's text, not the disk.
 * For a volume libvirt calls raw, ask qemu-img's read-only probe; a vmdk is sent to the
 * migration flow, which passes -f vmdk after checking the extent files.
 */
export async function refuseVmdkDescriptor(ctx: VolumeContext, what: string): Promise<void> {
  if (ctx.volume.format !== 'raw' || ctx.volume.type !== 'file' || ctx.volume.capacity > 1024 * 1024) return;
  const r = await ctx.t.exec(command('qemu-img', 'info', '--output=json', '-U', '--', ctx.volume.path), { timeoutMs: 60_000 });
  let format: string | undefined;
  try {
    format = parseImageInfo(r.stdout)[0]?.format;
  } catch {
    return; // no readable probe: libvirt's format stands
  }
  if (format !== 'vmdk') return;
  throw new AppError(
    'vmdk-descriptor',
    `${what} is refused: libvirt reads ${ctx.volume.name} as raw, but it is a VMware vmdk descriptor — as raw only its text would be copied. Use Migrate from VMware, which reads it as vmdk with its extent files.`,
    { status: 422, detail: { volume: ctx.volume.name, probed: 'vmdk', migrate: `/hosts/${encodeURIComponent(ctx.host.id)}/migrate-vmdk?pool=${encodeURIComponent(ctx.volume.pool)}&vol=${encodeURIComponent(ctx.volume.name)}` } },
  );
}

export function guardOverlays(ctx: VolumeRead, what: string, confirm: string | undefined): void {
  if (ctx.dependants.length === 0) return;
  guard({
    hazard: 'has-overlays',
    name: ctx.volume.name,
    confirm,
    message: `${what} writes to ${ctx.volume.name}, which ${ctx.dependants.length} other image${ctx.dependants.length === 1 ? ' is' : 's are'} based on: they would be corrupted`,
    affected: ctx.dependants,
  });
}
