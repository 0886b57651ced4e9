import type { HostDto } from '@/lib/schemas';
import { ErrorPanel } from '@/components/ui/error-panel';
import { Cmd } from '@/components/ui/empty-state';
import { STATUS_LABEL } from '@/components/ui/status-dot';

/** Why a host cannot be read, and the way forward for each kind of failure. */
export function HostProblem({ host }: { host: HostDto }) {
  if (host.status === 'ok') return null;
  if (host.status === 'connecting')
    return (
      <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
        Still reading {host.id}: it answers slowly. The other hosts are shown already; this card fills in by itself.
      </p>
    );
  const error = host.error ?? { code: host.status, message: `${host.name} could not be read.` };
  return (
    <ErrorPanel title={STATUS_LABEL[host.status]} error={error}>
      <Advice host={host} />
    </ErrorPanel>
  );
}

function Advice({ host }: { host: HostDto }) {
  switch (host.status) {
    case 'unreachable':
      return (
        <p>
          Check that the machine is up and that sshd listens on <Cmd>{host.address}</Cmd>.
        </p>
      );
    case 'hostkey-unknown':
      return (
        <p>
          No host key is pinned for this host, so the console refused to send credentials.
          {host.presentedHostKey && (
            <>
              {' '}
              It presented <Cmd>{host.presentedHostKey}</Cmd>; compare it with <Cmd>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</Cmd> on the host before pinning it.
            </>
          )}
        </p>
      );
    case 'hostkey-changed':
      return (
        <p>
          The host presented {host.presentedHostKey ? <Cmd>{host.presentedHostKey}</Cmd> : 'a different key'} instead of the pinned{' '}
          {host.hostKey ? <Cmd>{host.hostKey}</Cmd> : 'key'}. If the host was reinstalled, verify the new fingerprint on its console and update
          the inventory; otherwise treat it as a possible man-in-the-middle.
        </p>
      );
    case 'auth-failed':
      return <p>The host refused the console&apos;s SSH key: add the console&apos;s public key to the login user&apos;s ~/.ssh/authorized_keys.</p>;
    case 'libvirt-error':
      return (
        <p>
          SSH works, but virsh failed. On the host, check that libvirtd runs: <Cmd>virsh -c {host.uri} list --all</Cmd>.
        </p>
      );
    default:
      return null;
  }
}
