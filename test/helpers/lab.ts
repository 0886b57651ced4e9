/**
 * The lab (`npm run lab:up`) as seen by integration tests: its inventory, its hosts as real
 * SshTransports, and small local helpers (the lab runs on this machine, so a test can check
 * what a remote command did with a local `virsh`, `ps` or `ls`).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { SshTransport, type SshOptions, type SshTarget } from '@/server/transport/ssh';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const LAB_STATE = path.join(REPO, 'lab/state');
export const LAB_INVENTORY = path.join(LAB_STATE, 'hosts.json');
export const LAB_KEY = path.join(LAB_STATE, 'id_ed25519');

export interface LabHost {
  id: string;
  address: string;
  port: number;
  user: string;
  uri: string;
  hostKey: string;
  identityFile: string;
}

/** The lab's inventory; throws a clear message when the lab was never set up. */
export function labHosts(): LabHost[] {
  if (!existsSync(LAB_INVENTORY)) throw new Error(`lab is not up: run \`npm run lab:up\` (${LAB_INVENTORY} is missing)`);
  const inv = JSON.parse(readFileSync(LAB_INVENTORY, 'utf8')) as { hosts: LabHost[] };
  return inv.hosts;
}

export function labHost(id: 'lab' | 'lab2'): LabHost {
  const h = labHosts().find((x) => x.id === id);
  if (!h) throw new Error(`lab is not up: run \`npm run lab:up\` (no host "${id}" in ${LAB_INVENTORY})`);
  return h;
}

export function labTarget(id: 'lab' | 'lab2', over: Partial<SshTarget> = {}): SshTarget {
  const h = labHost(id);
  return {
    host: h.address,
    port: h.port,
    username: h.user,
    hostKey: h.hostKey,
    privateKey: readFileSync(path.resolve(LAB_STATE, h.identityFile)),
    ...over,
  };
}

/** A fresh SshTransport to a lab host, exactly as the server builds one (real SSH, pinned key). */
export function labTransport(id: 'lab' | 'lab2', over: Partial<SshTarget> = {}, options: SshOptions = {}): SshTransport {
  return new SshTransport(labTarget(id, over), options);
}

/** The pid in lab/state/sshd-NAME/sshd.pid (the sshd listener of that lab host). */
export function sshdPid(name: 'lab' | 'lab2'): number {
  const file = path.join(LAB_STATE, `sshd-${name}`, 'sshd.pid');
  if (!existsSync(file)) throw new Error(`lab is not up: run \`npm run lab:up\` (${file} is missing)`);
  return Number(readFileSync(file, 'utf8').trim());
}

const run = promisify(execFile);

/** Run a program on this machine (no shell), C locale. */
export async function local(program: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(program, args, { env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 64 << 20 });
  return stdout;
}

export function localSync(program: string, ...args: string[]): string {
  return execFileSync(program, args, { env: { ...process.env, LC_ALL: 'C' }, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** `virsh -q -c qemu:///system …` on this machine (async): the lab host's truth, read without the console. */
export { virshAsync as sysVirsh } from './virsh';

/** A short random suffix for throwaway names and marker strings. */
export const rand = () => Math.random().toString(36).slice(2, 10);

/** Direct child pids of a process (from /proc), recursively. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const children = (p: number): number[] => {
    try {
      const tasks = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
      return tasks ? tasks.split(/\s+/).map(Number) : [];
    } catch {
      return [];
    }
  };
  const walk = (p: number) => {
    for (const c of children(p)) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}
