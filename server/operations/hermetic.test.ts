import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PoolCreateInput, VolumeCreateInput, type PoolDto } from '@/lib/schemas';
import { command, isPipeline, type Invocation } from '../commands/command';
import { call, parseVirshBatch, virsh, virshBatch, type VirshCall } from '../commands/virsh';
import { isAppError } from '../errors';
import type { ExecOptions, ExecResult, Transport } from '../transport/types';
import { planPoolCreate } from '../virsh/pool-create';
import { poolDeletePlan } from '../virsh/pools';
import { planCreate } from '../volumes/create';
import { planDelete } from '../volumes/operations';
import type { VolumeRead } from '../volumes/context';
import { describePlan, planOf, type Step } from './plan';
import { runPlan } from './run';

/**
 * Hermetic planner tests: real planners' plans run by the real runner against libvirt's test
 * driver (`test:///default`), which needs neither root nor the lab.
 *
 * Every `virsh -c test:///default` process starts from the driver's fresh default state, so the
 * transport below keeps a session: each virsh step runs as one virsh batch that first replays the
 * session's earlier successful calls (framed like the console's own batches), and the step's
 * result is the last frame. A step's stdin document is written to a file and named in place of
 * `/dev/stdin`. Anything else is spawned as argv, without a shell.
 */
const URI = 'test:///default';
const hasVirsh = spawnSync('virsh', ['--version'], { stdio: 'ignore' }).status === 0;

class TestDriverSession implements Transport {
  readonly kind = 'local' as const;
  readonly history: VirshCall[] = [];
  readonly commands: string[] = [];
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'ksc-hermetic-'));
  private n = 0;

  async exec(inv: Invocation, opts: ExecOptions = {}): Promise<ExecResult> {
    if (isPipeline(inv)) throw new Error('the test-driver session runs single commands');
    const stdin = opts.stdin === undefined ? undefined : String(opts.stdin);
    if (inv.program !== 'virsh') {
      const r = spawnSync(inv.program, [...inv.args], { input: stdin ?? '', encoding: 'utf8', timeout: opts.timeoutMs ?? 30_000 });
      return { exitCode: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', timedOut: false, aborted: false, durationMs: 0 };
    }
    const [q, c, uri, name, ...rest] = inv.args;
    if (q !== '-q' || c !== '-c' || uri !== URI || !name) throw new Error(`not a test-driver virsh call: ${inv.args.join(' ')}`);
    let args = rest;
    if (stdin !== undefined) {
      const file = path.join(this.dir, `stdin-${this.n++}`);
      writeFileSync(file, stdin);
      args = args.map((a) => (a === '/dev/stdin' ? file : a));
    }
    const thisCall = call(name, ...args);
    this.commands.push([name, ...args].join(' '));
    const batch = virshBatch(URI, [...this.history, thisCall]);
    // stdout and stderr into one file, in order (the batch's frames need both).
    const out = path.join(this.dir, `out-${this.n++}`);
    const fd = openSync(out, 'w');
    try {
      spawnSync(batch.command.program, [...batch.command.args], { stdio: ['ignore', fd, fd], env: { ...process.env, LC_ALL: 'C' } });
    } finally {
      closeSync(fd);
    }
    const results = parseVirshBatch(batch, readFileSync(out, 'utf8'));
    const replayed = results.slice(0, -1).filter((r) => !r.ok);
    if (replayed.length) throw new Error(`replaying the session failed: ${replayed.map((r) => r.error).join('; ')}`);
    const last = results[results.length - 1]!;
    if (last.ok) this.history.push(thisCall);
    return { exitCode: last.ok ? 0 : 1, stdout: last.output, stderr: last.ok ? '' : last.error.split('\n').map((l) => `error: ${l}`).join('\n'), timedOut: false, aborted: false, durationMs: 0 };
  }

  /** One read in the session's current state. */
  async read(...words: string[]): Promise<string> {
    const [name, ...args] = words;
    const r = await this.exec(virsh(URI, call(name!, ...args)));
    if (r.exitCode !== 0) throw new Error(r.stderr);
    return r.stdout;
  }

  stats = () => ({ connections: 0, execs: this.n, active: 0, queued: 0 });
  close = async () => rmSync(this.dir, { recursive: true, force: true });
}

const sessions: TestDriverSession[] = [];
const session = () => {
  const s = new TestDriverSession();
  sessions.push(s);
  return s;
};
afterAll(async () => {
  for (const s of sessions) await s.close();
});

const poolNames = async (t: TestDriverSession) => (await t.read('pool-list', '--all', '--name')).split('\n').map((l) => l.trim()).filter(Boolean);

describe.skipIf(!hasVirsh)('planners against libvirt’s test driver (test:///default)', () => {
  const input = PoolCreateInput.parse({ name: 'ksc-hermetic', type: 'dir', target: { path: '/ksc-hermetic' }, build: false, start: true, autostart: true });

  it('pool create: define (XML on stdin) → start → autostart, as planned; then the delete plan stops and undefines it', async () => {
    const t = session();
    const plan = planPoolCreate(URI, input);
    expect(plan.steps.map((s) => s.id)).toEqual(['define', 'start', 'autostart']);
    const done = await runPlan(t, plan);
    expect(done.map((r) => r.ok)).toEqual([true, true, true]);
    expect(done[0]!.output).toMatch(/Pool ksc-hermetic defined/);
    const info = await t.read('pool-info', '--', 'ksc-hermetic');
    expect(info).toMatch(/State:\s+running/);
    expect(info).toMatch(/Autostart:\s+yes/);
    expect(await t.read('pool-dumpxml', '--', 'ksc-hermetic')).toContain('<path>/ksc-hermetic</path>');

    const del = poolDeletePlan(URI, { name: 'ksc-hermetic', state: 'running', persistent: true }, false);
    const deleted = await runPlan(t, planOf('Delete ksc-hermetic', del.map(([inv, title]) => ({ title, inv }))));
    expect(deleted.map((r) => r.command)).toEqual(['virsh -q -c test:///default pool-destroy -- ksc-hermetic', 'virsh -q -c test:///default pool-undefine -- ksc-hermetic']);
    expect(await poolNames(t)).toEqual(['default-pool']);
  });

  it('a forced failure after the last step: the runner undoes start and define in reverse, and nothing is left', async () => {
    const t = session();
    const plan = planPoolCreate(URI, input);
    const failing: Step = { id: 'fail', title: 'A step that fails', inv: command('false') };
    const e = await runPlan(t, { ...plan, steps: [...plan.steps, failing] }).then(
      () => null,
      (x: unknown) => x,
    );
    if (!isAppError(e)) throw new Error(`expected the operation's AppError, got ${String(e)}`);
    const detail = e.detail as { failedStep: { id: string }; stepsDone: Array<{ id: string }>; undone: Array<{ command: string; ok: boolean }> };
    expect([e.status, e.code]).toEqual([502, 'command-failed']);
    expect(detail.failedStep.id).toBe('fail');
    expect(detail.stepsDone.map((s) => s.id)).toEqual(['define', 'start', 'autostart']);
    expect(detail.undone.map((u) => [u.command, u.ok])).toEqual([
      ['virsh -q -c test:///default pool-destroy -- ksc-hermetic', true],
      ['virsh -q -c test:///default pool-undefine -- ksc-hermetic', true],
    ]);
    expect(await poolNames(t)).toEqual(['default-pool']);
  });

  it('a failing virsh step (a second define of the same pool name, another UUID) stops the plan with libvirt’s error line', async () => {
    const t = session();
    const plan = planPoolCreate(URI, input);
    // Define twice: the second define of the same name with another UUID is libvirt's refusal.
    await runPlan(t, plan.steps.slice(0, 1));
    const again = planPoolCreate(URI, input);
    const e = await runPlan(t, again).then(
      () => null,
      (x: unknown) => x,
    );
    if (!isAppError(e)) throw new Error(`expected the operation's AppError, got ${String(e)}`);
    expect(e.message).toMatch(/^Define the pool from its XML failed: /);
    expect((e.detail as { stepsDone: unknown[] }).stepsDone).toEqual([]);
    expect(await poolNames(t)).toContain('ksc-hermetic');
  });

  it('volume create (vol-create, XML on stdin) and delete (vol-delete) in the driver’s default pool', async () => {
    const t = session();
    // The device-pool branch of planCreate: libvirt makes the volume from XML.
    const pool = { name: 'default-pool', type: 'logical', state: 'running', target: { path: '/default-pool' } } as PoolDto;
    const create = planCreate(URI, pool, VolumeCreateInput.parse({ name: 'ksc-vol', format: 'raw', capacity: 1 << 20 }), null, []);
    expect(describePlan(planOf('create', create.steps)).steps[0]!.command).toBe('virsh -q -c test:///default vol-create --pool default-pool --file /dev/stdin');
    await runPlan(t, create.steps);
    expect(await t.read('vol-list', '--', 'default-pool')).toMatch(/ksc-vol\s+\/default-pool\/ksc-vol/);
    expect(await t.read('vol-info', '--pool', 'default-pool', '--bytes', '--', 'ksc-vol')).toMatch(/Capacity:\s+1048576 bytes/);

    const read = {
      host: { uri: URI },
      pool,
      volume: { name: 'ksc-vol', pool: 'default-pool', path: '/default-pool/ksc-vol', usedBy: [], encryption: null },
      runningUsers: [],
      dependants: [],
    } as unknown as VolumeRead;
    // The delete is guarded: without the name typed it is the 409, with it the plan runs.
    expect(() => planDelete(read, { dryRun: false }, null)).toThrow(expect.objectContaining({ status: 409, code: 'delete-volume' }));
    const del = planDelete(read, { dryRun: false, confirm: 'ksc-vol' }, null);
    expect((await runPlan(t, del)).map((r) => r.command)).toEqual(['virsh -q -c test:///default vol-delete --pool default-pool -- ksc-vol']);
    expect(await t.read('vol-list', '--', 'default-pool')).not.toContain('ksc-vol');
  });
});
