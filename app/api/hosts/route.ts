import { handle } from '@/server/http';
import { listHosts } from '@/server/hosts/service';
import { api } from '@/server/route';
import { visibleHosts } from '@/server/auth/visible';

export const dynamic = 'force-dynamic';

function onGet() {
  return handle(() => listHosts({ only: visibleHosts() }));
}

export const { GET } = api('/api/hosts', { GET: onGet });
