import { handle, readJson, type Params } from '@/server/http';
import { domainPower } from '@/server/domains/power';
import { requireNamed } from '@/server/hosts/lookup';
import { api } from '@/server/route';

export const dynamic = 'force-dynamic';

/** Body: `{action: "start" | "shutdown" | "destroy", confirm?, dryRun?}`; destroy needs `confirm` = the VM's name. */
async function onPost(req: Request, { params }: Params<'host' | 'vm'>) {
  const { host, vm } = await params;
  return handle(async () => (await requireNamed(host, { vm }), domainPower(host, vm, await readJson(req))));
}

export const { POST } = api('/api/hosts/[host]/domains/[vm]/power', { POST: onPost });
