/**
 * Injection corpus, part 3: the pool-destroy incident — a hostile pool name is never a command,
 * as one virsh call, in an arg-mode batch or in a stdin-mode batch; a real pool-destroy is seen.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecked } from '@/server/commands/run';
import { call, parseVirshBatch, virsh, virshBatch } from '@/server/commands/virsh';
import { rand, sysVirsh } from '../helpers/lab';
import { hostname, lab, nothingRan, URI, setupInjectionLab } from '../helpers/injection';

setupInjectionLab('injection-pool-name');

describe('the pool-destroy incident: a pool name is never a command', () => {
  const POOL = `ksc-test-inject-${rand()}`;
  const DIR = `/tmp/${POOL}`;
  const VICTIM = `${POOL}-victim`;

  const state = async (name: string) => /^State:\s+(\S+)/m.exec(await sysVirsh('pool-info', '--', name))?.[1];

  beforeAll(async () => {
    // Made with the project's own command path (virsh() as argv, over SSH), not a shell string.
    for (const [name, dir] of [
      [POOL, DIR],
      [VICTIM, `${DIR}-victim`],
    ] as const) {
      await runChecked(lab, virsh(URI, call('pool-define-as', '--name', name, '--type', 'dir', '--target', dir)), 'define');
      await runChecked(lab, virsh(URI, call('pool-build', '--', name)), 'build');
      await runChecked(lab, virsh(URI, call('pool-start', '--', name)), 'start');
    }
    expect(await state(POOL)).toBe('running');
    expect(await state(VICTIM)).toBe('running');
  });

  afterAll(async () => {
    for (const name of [POOL, VICTIM]) {
      await sysVirsh('pool-destroy', '--', name).catch(() => '');
      await sysVirsh('pool-delete', '--', name).catch(() => '');
      await sysVirsh('pool-undefine', '--', name).catch(() => '');
    }
    rmSync(DIR, { recursive: true, force: true });
    rmSync(`${DIR}-victim`, { recursive: true, force: true });
    const left = (await sysVirsh('pool-list', '--all', '--name')).split('\n').filter((n) => n.startsWith(POOL));
    expect(left).toEqual([]);
  });

  const values = (p: string) => [
    `x; pool-destroy ${p}`,
    `${p}; pool-destroy ${p}`,
    `x'; pool-destroy ${p} #`,
    `x"; pool-destroy ${p}; echo "`,
    `x\\'; pool-destroy ${p} #`,
    `--all; pool-destroy ${p}`,
    `$(virsh -c ${URI} pool-destroy ${p})`,
    `\`virsh -c ${URI} pool-destroy ${p}\``,
    `x\npool-destroy ${p}`,
    `x\rpool-destroy ${p}`,
  ];

  it('as one virsh command (argv)', async () => {
    for (const v of values(POOL)) {
      const r = await lab.exec(virsh(URI, call('pool-info', '--', v)));
      expect(r.exitCode, JSON.stringify(v)).toBe(1);
      expect(r.stderr, JSON.stringify(v)).toContain('Storage pool not found');
      expect(await state(POOL), JSON.stringify(v)).toBe('running');
    }
    nothingRan();
  });

  it('in an arg-mode batch, next to a real pool-info', async () => {
    const vs = values(POOL);
    const calls = vs.flatMap((v) => [call('pool-info', '--', v), call('pool-info', '--', POOL)]);
    const batch = virshBatch(URI, calls);
    const res = parseVirshBatch(batch, (await lab.exec(batch.command)).stdout);
    res.forEach((x, i) => {
      if (i % 2 === 0) {
        const v = vs[i / 2]!;
        // Values with a newline: see the KNOWN BUG test about multi-line errors below.
        if (!v.includes('\n')) expect(x, JSON.stringify(v)).toMatchObject({ ok: false, output: '', error: expect.stringContaining('Storage pool not found') });
        else expect(x.output + x.error).toContain('Storage pool not found');
      } else {
        expect(x.ok).toBe(true);
        expect(x.output).toMatch(new RegExp(`^Name:\\s+${POOL}$[\\s\\S]*^State:\\s+running$`, 'm'));
      }
    });
    expect(await state(POOL)).toBe('running');
  });

  it('in a stdin-mode batch (values without line breaks)', async () => {
    const vs = values(POOL).filter((v) => !/[\r\n]/.test(v));
    const calls = vs.flatMap((v) => [call('pool-info', '--', v), call('pool-info', '--', POOL)]);
    const batch = virshBatch(URI, calls, { mode: 'stdin' });
    const res = parseVirshBatch(batch, (await lab.exec(batch.command, { stdin: batch.stdin })).stdout);
    res.forEach((x, i) => {
      if (i % 2 === 0) expect(x, JSON.stringify(vs[i / 2])).toMatchObject({ ok: false, error: expect.stringContaining('Storage pool not found') });
      else expect(x.output).toMatch(/^State:\s+running$/m);
    });
    expect(await state(POOL)).toBe('running');
  });

  it('the check can fail: a real pool-destroy is seen (then the pool is started again)', async () => {
    await runChecked(lab, virsh(URI, call('pool-destroy', '--', VICTIM)), 'destroy');
    expect(await state(VICTIM)).toBe('inactive');
    await runChecked(lab, virsh(URI, call('pool-start', '--', VICTIM)), 'start');
    expect(await state(VICTIM)).toBe('running');
  });

  // virsh reads stdin through readline, which executes control characters as line-editing keys:
  // Ctrl-U (\x15) erases what was typed before it, so `pool-info -- 'x<C-u>pool-destroy VICTIM #'`
  // would run `pool-destroy VICTIM`. Stdin mode therefore refuses C0 controls and DEL outright.
  it('stdin mode: a control character cannot turn a value into a command', async () => {
    try {
      for (const v of [`x\x15pool-destroy ${VICTIM} #`, 'a\tb', 'a\x7fb', 'a\x1b[Ab']) {
        expect(() => virshBatch(URI, [call('pool-info', '--', v), call('pool-info', '--', VICTIM)], { mode: 'stdin' })).toThrow(
          /control character/,
        );
      }
      expect(await state(VICTIM)).toBe('running');
    } finally {
      if ((await state(VICTIM)) !== 'running') await sysVirsh('pool-start', '--', VICTIM);
    }
  });

  // virsh's error message quotes the value, so a value with a newline (legal in arg mode) splits
  // the message: the frame no longer ends with `error: ` lines, yet the call failed.
  it('arg mode: a failed call whose error message spans lines is a failure', async () => {
    const batch = virshBatch(URI, [call('pool-info', '--', 'x\nhostname'), call('hostname')]);
    const res = parseVirshBatch(batch, (await lab.exec(batch.command)).stdout);
    expect(res[1]).toMatchObject({ ok: true, output: hostname });
    expect(res[0]).toMatchObject({ ok: false, output: '' });
  });

});
