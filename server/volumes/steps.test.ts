import { describe, expect, it } from 'vitest';
import { command } from '../commands/command';
import type { ExecResult, Transport } from '../transport/types';
import { RETRY_ATTEMPTS, runPlan } from '../operations/run';
import { LUKS_BENCHMARK_FLAKE } from './steps';

/** A transport that answers from a script of results, one per exec, and counts the calls. */
function scripted(results: Array<Partial<ExecResult>>): Transport & { calls: number } {
  const t = {
    kind: 'local' as const,
    calls: 0,
    async exec(): Promise<ExecResult> {
      const r = results[Math.min(t.calls, results.length - 1)]!;
      t.calls++;
      return { stdout: '', stderr: '', exitCode: 0, timedOut: false, durationMs: 1, ...r } as ExecResult;
    },
    stats: () => ({ connections: 0, execs: 0, active: 0, queued: 0 }),
    close: async () => undefined,
  };
  return t;
}

const flake = { exitCode: 1, stderr: 'qemu-img: enc.qcow2: Unable to get accurate CPU usage' };
const step = (retry: boolean) => ({ title: 'Create enc.qcow2', inv: command('qemu-img', 'create'), stdin: 'secret passphrase', secret: true, ...(retry ? { retryIf: LUKS_BENCHMARK_FLAKE } : {}) });

describe('runSteps', () => {
  it("retries a step whose stderr is qemu's LUKS benchmark flake, and reports only the success", async () => {
    const t = scripted([flake, flake, { stdout: 'Formatting' }]);
    const out = await runPlan(t, [step(true)]);
    expect(t.calls).toBe(3);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ title: 'Create enc.qcow2', command: 'qemu-img create', ok: true, output: 'Formatting' });
  });
  it('gives up after RETRY_ATTEMPTS tries, and never retries a step without retryIf or another error', async () => {
    const t1 = scripted([flake]);
    await expect(runPlan(t1, [step(true)])).rejects.toMatchObject({ code: 'command-failed' });
    expect(t1.calls).toBe(RETRY_ATTEMPTS);
    const t2 = scripted([flake]);
    await expect(runPlan(t2, [step(false)])).rejects.toMatchObject({ code: 'command-failed' });
    expect(t2.calls).toBe(1);
    const t3 = scripted([{ exitCode: 1, stderr: 'No space left on device' }]);
    await expect(runPlan(t3, [step(true)])).rejects.toMatchObject({ code: 'command-failed' });
    expect(t3.calls).toBe(1);
  });
  it('a secret stdin is fed but never shown', async () => {
    const out = await runPlan(scripted([{}]), [step(true)]);
    expect(JSON.stringify(out)).not.toContain('secret passphrase');
  });
});
