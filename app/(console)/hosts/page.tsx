import { redirect } from 'next/navigation';

/** /hosts lists nothing of its own: the overview is the host list. */
export default function HostsIndex() {
  redirect('/');
}
