import type { HostStatus } from '@/lib/schemas';

const COLOUR: Record<HostStatus, string> = {
  ok: 'bg-emerald-500',
  connecting: 'bg-zinc-400 animate-pulse',
  unreachable: 'bg-red-500',
  'hostkey-unknown': 'bg-amber-500',
  'hostkey-changed': 'bg-red-500',
  'auth-failed': 'bg-red-500',
  'libvirt-error': 'bg-amber-500',
  error: 'bg-red-500',
};

export const STATUS_LABEL: Record<HostStatus, string> = {
  ok: 'Connected',
  connecting: 'Connecting…',
  unreachable: 'Unreachable',
  'hostkey-unknown': 'Host key not pinned',
  'hostkey-changed': 'Host key changed',
  'auth-failed': 'Authentication failed',
  'libvirt-error': 'libvirt error',
  error: 'Error',
};

/** A coloured dot whose meaning is also given in words (colour alone is not enough). */
export function StatusDot({ status, className = '' }: { status: HostStatus; className?: string }) {
  return (
    <span
      role="img"
      aria-label={`Status: ${STATUS_LABEL[status]}`}
      title={STATUS_LABEL[status]}
      className={`inline-block size-2 shrink-0 rounded-full ${COLOUR[status]} ${className}`}
    />
  );
}
