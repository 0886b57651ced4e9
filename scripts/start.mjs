// npm start: serve the built console. It listens on loopback only: there is no authentication
// yet, and the console holds root SSH keys to KVM hosts. Reach it remotely through an SSH tunnel
// (ssh -L 3000:127.0.0.1:3000 thishost) until authentication exists.
import { spawn } from 'node:child_process';
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

function main() {
  const host = process.env.HOST ?? '127.0.0.1';
  const port = process.env.PORT ?? '3000';
  const loopback = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;
  if (!loopback.test(host)) {
    console.error(`Refusing to listen on ${host}: the console has no authentication yet, so it serves loopback only.`);
    process.exit(2);
  }
  const problems = keyPermissionProblems();
  if (problems.length) {
    for (const p of problems) console.error(p);
    console.error('Refusing to start: like ssh, the console does not use private keys that others can read.');
    process.exit(2);
  }
  const child = spawn('npx', ['next', 'start', '-H', host, '-p', port], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
