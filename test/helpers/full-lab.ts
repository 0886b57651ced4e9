/**
 * The full lab (`bash lab/up --full`): the nested Debian KVM host `nestlab`, a qemu VM reached over
 * SSH on a forwarded loopback port. Integration tests that need it call `requireFullLab()` first:
 * it waits for a `lab/full/up` that is still running (scripts/test.sh boots the guest in the
 * background while types, lint and unit tests run), then FAILS — never skips — with the reason
 * when the host is not there, so CI cannot pass without having tested it.
 *
 * `nest()` runs a shell command in the guest with OpenSSH (not the project's ssh2 code): the tests'
 * independent view of what the console did.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { LAB_INVENTORY, LAB_KEY, LAB_STATE, labHosts, type LabHost } from './lab';

export const NEST_ID = 'nestlab';
export const FULL_STATE = path.join(LAB_STATE, 'full');
export const NEST_IQN = 'iqn.2026-11.lab.ksc:nest';
/** How long to wait for a `lab/full/up` that holds the lock (a first build takes minutes). */
const WAIT_S = Number(process.env.KSC_FULL_LAB_WAIT_S ?? 1200);

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Why the full lab is not usable, from what lab/full/up left behind. */
function whyDown(): string {
  const hints: string[] = [];
  const err = path.join(FULL_STATE, 'up.error');
  if (existsSync(err)) hints.push(`lab/full/up failed at ${statSync(err).mtime.toISOString()}:\n${tail(err, 40)}`);
  const log = path.join(FULL_STATE, 'up.log');
  if (!hints.length && existsSync(log)) hints.push(`last lines of ${log}:\n${tail(log, 15)}`);
  if (!existsSync(path.join(FULL_STATE, 'qemu.pid'))) hints.push('the nestlab VM is not running (no lab/state/full/qemu.pid)');
  return hints.join('\n');
}

/**
 * Wait for any running lab/full/up, then return nestlab's inventory entry — or throw, saying why.
 * Call it in beforeAll with a hook timeout above KSC_FULL_LAB_WAIT_S.
 */
export function requireFullLab(): LabHost {
  const lock = path.join(FULL_STATE, 'lock');
  if (existsSync(lock)) {
    // lab/full/up and down hold the lock exclusively while they work; a shared lock waits for them.
    const r = spawnSync('flock', ['-s', '-w', String(WAIT_S), lock, 'true'], { stdio: 'ignore' });
    if (r.status !== 0)
      throw new Error(`the full lab is not up: lab/full/up was still running after ${WAIT_S} s (KSC_FULL_LAB_WAIT_S).\n${whyDown()}`);
  }
  const host = labHosts().find((h) => h.id === NEST_ID);
  if (!host)
    throw new Error(
      `the full lab is not up: no host "${NEST_ID}" in ${LAB_INVENTORY}. Bring it up with \`bash lab/up --full\` ` +
        `(as root; lab/full/status says what runs).\n${whyDown()}`,
    );
  return host;
}

const run = promisify(execFile);

/** OpenSSH options for the guest: the lab's key, the host key pinned at build time. */
function sshOptions(host: LabHost): string[] {
  return [
    '-i', LAB_KEY,
    '-p', String(host.port),
    '-o', 'BatchMode=yes',
    '-o', 'ConnectTimeout=30',
    '-o', `UserKnownHostsFile=${path.join(FULL_STATE, 'known_hosts')}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'LogLevel=ERROR',
    '-o', `ControlPath=${CONTROL_PATH}`,
  ];
}
const dest = (host: LabHost) => `${host.user}@${host.address}`;

// One connection for all the checks (a handshake costs seconds in a TCG guest): a master opened
// by openNest(), which the checks use while it lives (ControlMaster=no: without it, they connect
// on their own). The master is started detached with no pipes, so it cannot hold a caller's stdout.
const CONTROL_PATH = path.join(tmpdir(), `ksc-nest-${process.pid}.sock`);

export function openNest(host: LabHost): void {
  spawnSync('ssh', [...sshOptions(host), '-o', 'ControlMaster=yes', '-o', 'ControlPersist=600', '-f', '-N', dest(host)], { stdio: 'ignore', timeout: 120_000 });
}

export async function closeNest(host: LabHost): Promise<void> {
  await run('ssh', [...sshOptions(host), '-O', 'exit', dest(host)]).catch(() => {});
}

/** Run a shell command in the guest as root (OpenSSH); rejects with its stderr on a non-zero exit. */
export async function nest(host: LabHost, script: string, timeoutMs = 120_000): Promise<string> {
  try {
    const { stdout } = await run('ssh', [...sshOptions(host), '-o', 'ControlMaster=no', dest(host), script], { timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, LC_ALL: 'C' } });
    return stdout;
  } catch (e) {
    const err = e as Error & { stderr?: string; code?: number | string };
    throw new Error(`in nestlab: ${script}\n-> exit ${err.code}: ${(err.stderr ?? err.message).trim()}`);
  }
}

/** `virsh -q -c qemu:///system …` in the guest, with the words quoted for its shell. */
export function nestVirsh(host: LabHost, ...args: string[]): Promise<string> {
  return nest(host, ['virsh', '-q', '-c', 'qemu:///system', ...args].map(shq).join(' '));
}

export const shq = (s: string) => (/^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** virsh's "Key:   value" blocks (pool-info, vol-info) as a record. */
export function virshInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z ]+):\s+(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) out[m[1]] = m[2].trim();
  }
  return out;
}
