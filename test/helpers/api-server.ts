/**
 * A console server in a process of its own, for tests that must kill one for real (the job
 * restart test): the app's own route handlers behind node:http, on a free loopback port, with the
 * caller's KSC_DATA_DIR and KSC_INVENTORY. Not `next start` — integration tests run before the
 * build — but the same handlers, server modules, SQLite file and SSH transports.
 *
 *   node --conditions=react-server --import tsx test/helpers/api-server.ts
 *
 * prints `listening PORT` on stdout once it accepts requests. Started by server-process.ts.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { POST as volumeOpPOST } from '@/app/api/hosts/[host]/pools/[pool]/volumes/[volume]/[op]/route';
import { DELETE as jobDELETE, GET as jobGET } from '@/app/api/jobs/[job]/route';
import { GET as jobsGET } from '@/app/api/jobs/route';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** The routes this server answers: method, path pattern with :segments, handler. */
const ROUTES: Array<[string, string, Handler]> = [
  ['GET', '/api/jobs', (req) => jobsGET(req)],
  ['GET', '/api/jobs/:job', jobGET as Handler],
  ['DELETE', '/api/jobs/:job', jobDELETE as Handler],
  ['POST', '/api/hosts/:host/pools/:pool/volumes/:volume/:op', volumeOpPOST as Handler],
];

function match(method: string, pathname: string): [Handler, Record<string, string>] | null {
  const parts = pathname.split('/');
  for (const [m, pattern, handler] of ROUTES) {
    const want = pattern.split('/');
    if (m !== method || want.length !== parts.length) continue;
    const params: Record<string, string> = {};
    if (want.every((w, i) => (w.startsWith(':') ? ((params[w.slice(1)] = decodeURIComponent(parts[i]!)), true) : w === parts[i]))) return [handler, params];
  }
  return null;
}

/** The request body as text (these routes take JSON only). */
async function body(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
}

const server = createServer((req, res) => {
  void (async () => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const hit = match(req.method ?? 'GET', url.pathname);
    if (!hit) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'not-found', message: 'no such test route' } }));
      return;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const request = new Request(url, { method: req.method, headers, body: await body(req) });
    const answer = await hit[0](request, { params: Promise.resolve(hit[1]) });
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  })().catch((e: unknown) => {
    console.error(e);
    res.writeHead(500).end();
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
