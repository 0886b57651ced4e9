import { handle } from '@/server/http';
import { listHosts } from '@/server/hosts/service';

export const dynamic = 'force-dynamic';

export function GET() {
  return handle(() => listHosts());
}
