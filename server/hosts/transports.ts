import 'server-only';
import { readFileSync, statSync } from 'node:fs';
import { AuditedTransport } from '../audit/transport';
import { AppError } from '../errors';
import { LocalTransport } from '../transport/local';
import { SshTransport } from '../transport/ssh';
import type { Transport } from '../transport/types';
import type { HostConfig } from './inventory';

/**
 * One transport (so one pooled SSH connection) per host, kept across requests. Stored on
 * globalThis so Next's dev-mode module reloads do not leak connections.
 */
const registry: Map<string, { key: string; transport: Transport }> = ((globalThis as Record<string, unknown>).__kscTransports ??=
  new Map()) as Map<string, { key: string; transport: Transport }>;

export function transportFor(host: HostConfig): Transport {
  // A changed inventory entry (new key, new address) gets a fresh connection.
  const key = JSON.stringify([host.transport, host.address, host.port, host.user, host.hostKey, host.identityPath, host.agent]);
  const existing = registry.get(host.id);
  if (existing && existing.key === key) return existing.transport;
  void existing?.transport.close();
  const transport = new AuditedTransport(host.transport === 'local' ? new LocalTransport() : makeSsh(host));
  registry.set(host.id, { key, transport });
  return transport;
}

function makeSsh(host: HostConfig): Transport {
  let privateKey: Buffer | undefined;
  if (host.identityPath) {
    refuseOpenKey(host.id, host.identityPath);
    try {
      privateKey = readFileSync(/* turbopackIgnore: true */ host.identityPath);
    } catch (e) {
      throw new AppError('auth-failed', `Cannot read the key file ${host.identityPath} for host ${host.id}: ${(e as Error).message}`, {
        status: 502,
      });
    }
  }
  const agent = host.agent ? process.env.SSH_AUTH_SOCK : undefined;
  if (!privateKey && !agent)
    throw new AppError('auth-failed', `Host ${host.id} has no identityFile and no ssh-agent (set "agent": true and SSH_AUTH_SOCK)`, {
      status: 502,
    });
  return new SshTransport(
    { host: host.address ?? '', port: host.port, username: host.user, hostKey: host.hostKey, privateKey, agent },
    { readyTimeoutMs: host.readyTimeoutMs, keepaliveIntervalMs: host.keepaliveIntervalMs, keepaliveCountMax: host.keepaliveCountMax },
  );
}

/**
 * Like ssh, refuse a private key that group or others may read (any of 0o077): the console
 * holds root keys to KVM hosts. scripts/start.mjs checks the same at start-up.
 */
export function refuseOpenKey(hostId: string, file: string): void {
  let mode: number;
  try {
    mode = statSync(/* turbopackIgnore: true */ file).mode & 0o777;
  } catch {
    return; // a missing file is reported by the read below
  }
  if (mode & 0o077) {
    const octal = mode.toString(8).padStart(4, '0');
    throw new AppError('key-permissions', `The key file ${file} for host ${hostId} is readable by others (mode ${octal}): run chmod 600 ${file}`, {
      status: 500,
      detail: { file, mode: octal, fix: `chmod 600 ${file}` },
    });
  }
}

export async function closeAllTransports(): Promise<void> {
  await Promise.all([...registry.values()].map((r) => r.transport.close()));
  registry.clear();
}
