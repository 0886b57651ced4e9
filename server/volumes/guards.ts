import 'server-only';
import { AppError } from '../errors';
import { requireConfirmation } from '../guards';
import type { VolumeContext } from './context';

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
export function refuseIfRunning(ctx: VolumeContext, what: string): void {
  if (ctx.runningUsers.length === 0) return;
  const vms = ctx.runningUsers.join(', ');
  throw new AppError('volume-in-use', `${what} is refused: ${vms} ${ctx.runningUsers.length === 1 ? 'is' : 'are'} running and using ${ctx.volume.name} — shut ${ctx.runningUsers.length === 1 ? 'it' : 'them'} down first`, {
    status: 409,
    detail: { affected: { runningVms: ctx.runningUsers, volume: ctx.volume.path } },
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

export function guardOverlays(ctx: VolumeContext, what: string, confirm: string | undefined): void {
  if (ctx.dependants.length === 0) return;
  requireConfirmation({
    hazard: 'has-overlays',
    name: ctx.volume.name,
    confirm,
    message: `${what} writes to ${ctx.volume.name}, which ${ctx.dependants.length} other image${ctx.dependants.length === 1 ? ' is' : 's are'} based on: they would be corrupted`,
    detail: ctx.dependants,
  });
}
