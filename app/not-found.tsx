import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';

export default function NotFound() {
  return (
    <EmptyState title="Nothing at this address">
      <p>
        The URL does not name a host, pool or volume the console knows. Start from the{' '}
        <Link href="/" className="text-sky-700 underline dark:text-sky-400">
          overview
        </Link>
        .
      </p>
    </EmptyState>
  );
}
