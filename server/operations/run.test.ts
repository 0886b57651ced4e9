import { describe, expect, it } from 'vitest';
import { command } from '../commands/command';
import { isAppError } from '../errors';
import { fakeTransport } from './fake-transport';
import { describePlan, planOf, type Step } from './plan';
import { lastErrorLine, runPlan } from './run';

const step = (n: number, extra: Partial<Step> = {}): Step => ({
  id: `s${n}`,
  title: `Step ${n}`,
  inv: command('do', String(n)),
  undo: { id: `undo-s${n}`, title: `Undo ${n}`, inv: command('undo', String(n)) },
  ...extra,
});

async function failure(p: Promise<unknown>) {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!isAppError(e)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e as typeof e & { detail: Record<string, unknown> & { undone: Array<{ command: string; ok: boolean }>; stepsDone: Array<{ id?: string }>; failedStep: { id?: string; error?: string } } };
}

describe('runPlan', () => {
  it('runs every step in order and reports each', async () => {
    const t = fakeTransport((c) => ({ stdout: `ran ${c}` }));
    const seen: string[] = [];
    const r = await runPlan(t, planOf('p', [step(1), step(2), step(3)]), { onStep: (s) => seen.push(s.id!) });
    expect(t.calls.map((c) => c.command)).toEqual(['do 1', 'do 2', 'do 3']);
    expect(r.map((s) => [s.id, s.ok, s.output])).toEqual([
      ['s1', true, 'ran do 1'],
      ['s2', true, 'ran do 2'],
      ['s3', true, 'ran do 3'],
    ]);
    expect(seen).toEqual(['s1', 's2', 's3']);
  });

  for (const n of [1, 2, 3, 4]) {
    it(`a failure at step ${n} runs the undo of steps < ${n} in reverse and throws one 502`, async () => {
      const t = fakeTransport((c) => (c === `do ${n}` ? { exitCode: 1, stderr: `error: Failed to do\nerror: step ${n} broke\n` } : undefined));
      const e = await failure(runPlan(t, [step(1), step(2), step(3), step(4)]));
      const undos = Array.from({ length: n - 1 }, (_, i) => `undo ${n - 1 - i}`);
      expect(t.calls.map((c) => c.command)).toEqual([...Array.from({ length: n }, (_, i) => `do ${i + 1}`), ...undos]);
      expect(e.status).toBe(502);
      expect(e.code).toBe('command-failed');
      expect(e.message).toContain(`step ${n} broke`);
      expect(e.detail.failedStep).toMatchObject({ id: `s${n}`, ok: false });
      expect(e.detail.stderr).toContain(`step ${n} broke`);
      expect(e.detail.stepsDone.map((s) => s.id)).toEqual(Array.from({ length: n - 1 }, (_, i) => `s${i + 1}`));
      expect(e.detail.undone.map((u) => u.command)).toEqual(undos);
      expect(e.detail.undone.every((u) => u.ok)).toBe(true);
    });
  }

  it('a failing undo is reported, and the rest of the undo still runs', async () => {
    const t = fakeTransport((c) => (c === 'do 3' || c === 'undo 2' ? { exitCode: 1, stderr: 'nope' } : undefined));
    const e = await failure(runPlan(t, [step(1), step(2), step(3)]));
    expect(e.detail.undone.map((u) => [u.command, u.ok])).toEqual([
      ['undo 2', false],
      ['undo 1', true],
    ]);
  });

  it('steps without an undo are skipped when undoing', async () => {
    const t = fakeTransport((c) => (c === 'do 3' ? { exitCode: 1 } : undefined));
    const e = await failure(runPlan(t, [step(1), step(2, { undo: undefined }), step(3)]));
    expect(e.detail.undone.map((u) => u.command)).toEqual(['undo 1']);
    expect(e.detail.failedStep.error).toBe('exit 1');
  });

  it('a timeout and a cancel have their own codes', async () => {
    const timed = await failure(runPlan(fakeTransport(() => ({ exitCode: null, timedOut: true })), [step(1)]));
    expect(timed.code).toBe('command-timeout');
    const cancelled = await failure(runPlan(fakeTransport(() => ({ exitCode: null, aborted: true })), [step(1)]));
    expect(cancelled.code).toBe('cancelled');
  });

  it('secret stdin is fed to its command but is never in the preview, the results or the failure detail', async () => {
    const secret = 'hunter2-passphrase';
    const steps: Step[] = [step(1, { stdin: '<secret/>' }), step(2, { stdin: secret, secret: true }), step(3)];
    const preview = JSON.stringify(describePlan(planOf('p', steps)));
    expect(preview).toContain('<secret/>');
    expect(preview).not.toContain(secret);
    const ok = fakeTransport();
    expect(JSON.stringify(await runPlan(ok, steps))).not.toContain(secret);
    expect(ok.calls[1]!.stdin).toBe(secret);
    for (const failAt of ['do 2', 'do 3']) {
      const t = fakeTransport((c) => (c === failAt ? { exitCode: 1, stderr: 'error: bad' } : undefined));
      const e = await failure(runPlan(t, steps));
      expect(JSON.stringify({ message: e.message, detail: e.detail })).not.toContain(secret);
    }
  });

  it('the preview renders stdin documents with their name, and each undo command', () => {
    const p = describePlan(planOf('p', [step(1, { stdin: '<disk/>', stdinName: 'disk.xml' })], { destroys: ['x'], guard: { hazard: 'wipe', confirmWith: 'v', message: 'm' } }));
    expect(p.steps[0]).toEqual({ id: 's1', title: 'Step 1', command: "do 1 < disk.xml", stdin: '<disk/>', undo: 'undo 1' });
    expect(p.destroys).toEqual(['x']);
    expect(p.guard).toMatchObject({ hazard: 'wipe' });
  });
});

describe('lastErrorLine', () => {
  it('is the last `error:` line, else all of stderr, else null', () => {
    expect(lastErrorLine('error: Failed to start pool p\nerror: cannot open directory /x: Not a directory\n')).toBe('cannot open directory /x: Not a directory');
    expect(lastErrorLine('something odd\n')).toBe('something odd');
    expect(lastErrorLine('  ')).toBeNull();
  });
});
