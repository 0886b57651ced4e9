// npm start: serve the built console. It listens on loopback only: there is no authentication
// yet, and the console holds root SSH keys to KVM hosts. Reach it remotely through an SSH tunnel
// (ssh -L 3000:127.0.0.1:3000 thishost) until authentication exists.
import { spawn } from 'node:child_process';

const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ?? '3000';
const loopback = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;
if (!loopback.test(host)) {
  console.error(`Refusing to listen on ${host}: the console has no authentication yet, so it serves loopback only.`);
  process.exit(2);
}
const child = spawn('npx', ['next', 'start', '-H', host, '-p', port], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
