import 'server-only';
import { createHash } from 'node:crypto';

/** A host key's fingerprint as OpenSSH prints it: `SHA256:` + unpadded base64 of the key blob. */
export function sha256Fingerprint(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}
