// npm start: serve the built console (HOST, default 127.0.0.1; PORT, default 3000). Every page and
// API call needs a signed-in user or an API token. Beyond loopback it needs KSC_PUBLIC_URL (the
// origin checks and the cookies' Secure flag follow it) and belongs behind a TLS reverse proxy.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The inventory's identity files that group or others may read, as ssh refuses them: one line
 * per problem (empty when all is well). Same path rules as server/hosts/inventory.ts:
 * $KSC_INVENTORY else data/hosts.json; identityFile relative to the inventory's directory.
 */
export function keyPermissionProblems(inventory = path.resolve(process.env.KSC_INVENTORY ?? 'data/hosts.json')) {
  if (!existsSync(inventory)) return [];
  let hosts;
  try {
    hosts = JSON.parse(readFileSync(inventory, 'utf8')).hosts;
  } catch {
    return []; // the server reports an invalid inventory itself, with the details
  }
  if (!Array.isArray(hosts)) return [];
  const problems = [];
  const seen = new Set();
  for (const h of hosts) {
    if (!h || typeof h.identityFile !== 'string') continue;
    const file = path.resolve(path.dirname(inventory), h.identityFile);
    if (seen.has(file)) continue;
    seen.add(file);
    let mode;
    try {
      mode = statSync(file).mode & 0o777;
    } catch {
      continue; // a missing key is the host's problem, reported when it is used
    }
    if (mode & 0o077)
      problems.push(`The key file ${file} (host ${h.id}) is readable by others (mode ${mode.toString(8).padStart(4, '0')}): run chmod 600 ${file}`);
  }
  return problems;
}

/** Loopback addresses: listening there needs no public URL. */
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/**
 * Why the console refuses to listen on `host` (null: it may). Beyond loopback, people reach it by
 * a name the request gate must know (KSC_PUBLIC_URL), and sign-in is what protects it.
 */
export function listenProblem(host, env = process.env) {
  if (LOOPBACK.test(host)) return null;
  if (!env.KSC_PUBLIC_URL)
    return `Refusing to listen on ${host} without KSC_PUBLIC_URL: set it to the URL people use (e.g. https://storage.example.com), behind a TLS reverse proxy (docs/OPERATIONS.md).`;
  try {
    new URL(env.KSC_PUBLIC_URL);
  } catch {
    return `KSC_PUBLIC_URL is not a URL: ${env.KSC_PUBLIC_URL}`;
  }
  return null;
}

async function main() {
  const host = process.env.HOST ?? '127.0.0.1';
  const port = Number(process.env.PORT ?? '3000');
  const refuse = listenProblem(host);
  if (refuse) {
    console.error(refuse);
    process.exit(2);
  }
  const problems = keyPermissionProblems();
  if (problems.length) {
    for (const p of problems) console.error(p);
    console.error('Refusing to start: like ssh, the console does not use private keys that others can read.');
    process.exit(2);
  }
  process.env.NODE_ENV ??= 'production';
  // The caller's socket address reaches the route handlers (audit log, sign-in throttling) in a
  // header no client can forge: it carries a secret only this process knows (server/security/peer.ts).
  const secret = randomBytes(18).toString('base64url');
  globalThis.__kscPeerSecret = secret;
  const { default: next } = await import('next');
  const app = next({ dev: false, hostname: host, port, dir: path.resolve(path.dirname(new URL(import.meta.url).pathname), '..') });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = createServer((req, res) => {
    req.headers['x-ksc-peer'] = `${secret} ${req.socket.remoteAddress ?? ''}`;
    void handle(req, res);
  });
  server.listen(port, host, () => console.log(`KVM Storage Console listening on http://${host.includes(':') ? `[${host}]` : host}:${port}`));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)).closeAllConnections?.());
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href)
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
