import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderCommand } from './shell';
import {
  call,
  parseVirshBatch,
  previewVirshBatch,
  renderVirshCall,
  virsh,
  virshBatch,
  VirshBatchError,
  type VirshBatch,
  type VirshCall,
} from './virsh';

const URI = 'qemu:///system';
const N = 'a1b2c3d4e5f6';
const M = (i: number | 'end') => `@@ksc-${N}:${i}`;

/** What virsh prints in stdin mode before the first command. */
const BANNER = "Welcome to virsh, the virtualization interactive terminal.\n\nType:  'help' for help with commands\n       'quit' to quit\n\n";

describe('renderVirshCall / virsh()', () => {
  it('quotes each word for virsh with the POSIX rules', () => {
    expect(renderVirshCall(call('pool-info', '--', 'vm'))).toBe('pool-info -- vm');
    expect(renderVirshCall(call('pool-info', '--', 'x; pool-destroy vm'))).toBe("pool-info -- 'x; pool-destroy vm'");
    expect(renderVirshCall(call('vol-info', '--pool', 'my pool', '--', "it's #1"))).toBe(`vol-info --pool 'my pool' -- 'it'\\''s #1'`);
  });

  it('builds a single virsh command as argv (no batch re-parsing)', () => {
    const c = virsh(URI, call('pool-info', '--', 'x; pool-destroy vm'));
    expect(c).toEqual({ program: 'virsh', args: ['-q', '-c', URI, 'pool-info', '--', 'x; pool-destroy vm'] });
    expect(renderCommand(c)).toBe("virsh -q -c qemu:///system pool-info -- 'x; pool-destroy vm'");
  });

  it('previews a batch without markers', () => {
    expect(previewVirshBatch(URI, [call('pool-info', '--', 'a b'), call('hostname')])).toBe(
      `virsh -c qemu:///system 'pool-info -- '\\''a b'\\''; hostname'`,
    );
  });
});

describe('virshBatch', () => {
  const calls = [call('pool-info', '--', 'a b'), call('hostname')];

  it('arg mode: one argv string, each call framed by echo markers, stderr merged', () => {
    const b = virshBatch(URI, calls, { nonce: N });
    expect(b.mode).toBe('arg');
    expect(b.nonce).toBe(N);
    expect(b.stdin).toBeUndefined();
    expect(b.calls).toEqual(calls);
    expect(b.command).toEqual({
      program: 'virsh',
      args: ['-c', URI, `echo -- ${M(0)}; pool-info -- 'a b'; echo -- ${M(1)}; hostname; echo -- ${M('end')}`],
      mergeStderr: true,
    });
    // Not quiet: in -q mode virsh's echo drops its newline.
    expect(b.command.args).not.toContain('-q');
  });

  it('stdin mode: one command per line on stdin', () => {
    const b = virshBatch(URI, calls, { nonce: N, mode: 'stdin' });
    expect(b.mode).toBe('stdin');
    expect(b.command).toEqual({ program: 'virsh', args: ['-c', URI], mergeStderr: true });
    expect(b.stdin).toBe(`echo -- ${M(0)}\npool-info -- 'a b'\necho -- ${M(1)}\nhostname\necho -- ${M('end')}\n`);
  });

  it('uses a fresh random nonce per batch', () => {
    const a = virshBatch(URI, calls);
    const b = virshBatch(URI, calls);
    expect(a.nonce).toMatch(/^[0-9a-f]{12}$/);
    expect(a.nonce).not.toBe(b.nonce);
  });

  it('refuses an empty batch, and line breaks in stdin mode', () => {
    expect(() => virshBatch(URI, [])).toThrow(/empty/);
    expect(() => virshBatch(URI, [call('echo', '--', 'a\nb')], { mode: 'stdin' })).toThrow(/line break/);
    expect(() => virshBatch(URI, [call('echo', '--', 'a\rb')], { mode: 'stdin' })).toThrow(/line break/);
    // arg mode carries newlines inside quotes
    expect(virshBatch(URI, [call('echo', '--', 'a\nb')], { nonce: N }).command.args[2]).toBe(`echo -- ${M(0)}; echo -- 'a\nb'; echo -- ${M('end')}`);
  });

  // Regression: in stdin mode virsh reads its lines with readline, which executes control
  // characters as editing keys — Ctrl-U (\x15) discards the line typed so far, so
  // `echo -- 'a\x15pool-destroy vm #'` would run `pool-destroy vm`.
  it('stdin mode refuses control characters readline would execute', () => {
    for (const ch of ['\x01', '\x08', '\t', '\x15', '\x16', '\x17', '\x1b', '\x7f'])
      expect(() => virshBatch(URI, [call('echo', '--', `a${ch}b`)], { mode: 'stdin' }), JSON.stringify(ch)).toThrow();
  });

  it('refuses a NUL byte in any mode', () => {
    expect(() => virshBatch(URI, [call('echo', '--', 'a\0b')])).toThrow(/NUL/);
    expect(() => virshBatch(URI, [call('echo', '--', 'a\0b')], { mode: 'stdin' })).toThrow(/NUL/);
  });
});

/** Build the merged output virsh gives in arg mode: marker lines, each call's lines. */
function argOutput(frames: string[]): string {
  return frames.map((f, i) => `${M(i)}\n${f}`).join('') + `${M('end')}\n`;
}

describe('parseVirshBatch, arg mode', () => {
  const calls: VirshCall[] = [call('pool-info', '--', 'nosuch'), call('hostname'), call('echo', '--', 'x'), call('pool-list', '--uuid')];
  const batch = virshBatch(URI, calls, { nonce: N });

  it('splits frames, reads errors, trims the trailing blank lines', () => {
    const out = argOutput([
      "error: failed to get pool 'nosuch'\nerror: Storage pool not found: no storage pool with matching name 'nosuch'\n\n",
      'vm\n\n',
      'x\n',
      '7a307f80-82d7-4424-a2dd-ee77543dde2c\n3f804e01-c095-43f8-8af6-19ea38ac8c01\n\n',
    ]);
    const r = parseVirshBatch(batch, out);
    expect(r).toHaveLength(4);
    expect(r[0]).toEqual({
      call: calls[0],
      ok: false,
      output: '',
      error: "failed to get pool 'nosuch'\nStorage pool not found: no storage pool with matching name 'nosuch'",
    });
    expect(r[1]).toEqual({ call: calls[1], ok: true, output: 'vm', error: '' });
    expect(r[2]).toEqual({ call: calls[2], ok: true, output: 'x', error: '' });
    expect(r[3]).toEqual({
      call: calls[3],
      ok: true,
      output: '7a307f80-82d7-4424-a2dd-ee77543dde2c\n3f804e01-c095-43f8-8af6-19ea38ac8c01',
      error: '',
    });
  });

  it('keeps output before the error lines of a failed call', () => {
    const b = virshBatch(URI, [call('x')], { nonce: N });
    const [r] = parseVirshBatch(b, argOutput(['partial\nerror: boom\n\n']));
    expect(r).toMatchObject({ ok: false, output: 'partial', error: 'boom' });
  });

  it('keeps `error:` text that is not at the end of a frame as output', () => {
    const b = virshBatch(URI, [call('x')], { nonce: N });
    const [r] = parseVirshBatch(b, argOutput(['error: not really\nfine\n']));
    expect(r).toEqual({ call: b.calls[0], ok: true, output: 'error: not really\nfine', error: '' });
  });

  it('ignores markers of another nonce and repeated markers inside output', () => {
    const b = virshBatch(URI, [call('a'), call('b')], { nonce: N });
    const out = argOutput(['@@ksc-ffffffffffff:1\nA\n', 'B\n']);
    const r = parseVirshBatch(b, out);
    expect(r.map((x) => x.output)).toEqual(['@@ksc-ffffffffffff:1\nA', 'B']);
  });

  it('throws VirshBatchError with virsh own words when nothing ran (could not connect)', () => {
    const out =
      'error: failed to connect to the hypervisor\nerror: Failed to connect socket to \'/var/run/libvirt/virtqemud-sock\': No such file or directory\n';
    let err: unknown;
    try {
      parseVirshBatch(batch, out);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(VirshBatchError);
    expect((err as VirshBatchError).name).toBe('VirshBatchError');
    expect((err as VirshBatchError).message).toBe(
      "failed to connect to the hypervisor\nFailed to connect socket to '/var/run/libvirt/virtqemud-sock': No such file or directory",
    );
    expect((err as VirshBatchError).output).toBe(out);
  });

  it('throws VirshBatchError on no output, and on output without error lines', () => {
    expect(() => parseVirshBatch(batch, '')).toThrow(VirshBatchError);
    expect(() => parseVirshBatch(batch, '')).toThrow('virsh produced no output');
    expect(() => parseVirshBatch(batch, 'sh: 1: virsh: not found\n')).toThrow('sh: 1: virsh: not found');
  });

  it('marks the call virsh died in, and the calls after it as not run', () => {
    const out = `${M(0)}\nerror: x\n\n${M(1)}\nvm\n\n${M(2)}\npartial out\n`;
    const r = parseVirshBatch(batch, out);
    expect(r.map((x) => x.ok)).toEqual([false, true, false, false]);
    expect(r[2]).toMatchObject({ output: 'partial out', error: 'virsh stopped during this command' });
    expect(r[3]).toMatchObject({ output: '', error: 'not run: virsh stopped before this command' });
  });

  it('a frame that ends in errors but has no end marker is that call failing', () => {
    const b = virshBatch(URI, [call('a')], { nonce: N });
    const [r] = parseVirshBatch(b, `${M(0)}\nerror: died\n`);
    expect(r).toMatchObject({ ok: false, error: 'died' });
  });

  it('round-trips any call outputs (no trailing newline, no trailing error: lines)', () => {
    const line = fc.string({ maxLength: 20 }).filter((s) => !s.includes('\n') && !s.startsWith('@@ksc-'));
    const body = fc
      .array(line, { maxLength: 5 })
      .map((ls) => ls.join('\n'))
      .filter((s) => !/(^|\n)error: [^\n]*$/.test(s) && !s.endsWith('\n') && s !== '\n');
    fc.assert(
      fc.property(fc.array(fc.tuple(body, fc.boolean()), { minLength: 1, maxLength: 8 }), (frames) => {
        const b = virshBatch(URI, frames.map((_, i) => call('c' + i)), { nonce: N });
        const text = argOutput(frames.map(([o, failed]) => (o ? o + '\n' : '') + (failed ? 'error: bad\n\n' : '\n')));
        const r = parseVirshBatch(b, text);
        r.forEach((x, i) => {
          const [o, failed] = frames[i]!;
          expect(x.output).toBe(o.replace(/\n+$/, ''));
          expect(x.ok).toBe(!failed);
          expect(x.error).toBe(failed ? 'bad' : '');
        });
      }),
      { numRuns: 300 },
    );
  });
});

/** Build virsh's stdin-mode output: banner, and each input line echoed after the prompt. */
function stdinOutput(b: VirshBatch, outputs: string[], prompt = 'virsh # ', echo: (line: string) => string = (l) => l): string {
  const lines = (b.stdin ?? '').split('\n').filter(Boolean);
  let out = BANNER;
  let k = 0;
  for (const line of lines) {
    out += prompt + echo(line) + '\n';
    const m = /^echo -- (@@ksc-\S+)$/.exec(line);
    if (m) out += m[1] + '\n';
    else out += outputs[k++] ?? '';
  }
  return out + prompt; // the prompt virsh prints before it reads EOF
}

describe('parseVirshBatch, stdin mode', () => {
  const calls: VirshCall[] = [call('pool-info', '--', 'nosuch'), call('hostname'), call('vol-list', '--pool', 'vm')];

  for (const prompt of ['virsh # ', 'virsh $ ']) {
    it(`strips the echoed commands after the prompt ${JSON.stringify(prompt)}`, () => {
      const b = virshBatch(URI, calls, { nonce: N, mode: 'stdin' });
      const out = stdinOutput(
        b,
        [
          "error: failed to get pool 'nosuch'\nerror: Storage pool not found: no storage pool with matching name 'nosuch'\n\n",
          'vm\n\n',
          ' Name                 Path\n------------------------------------------\n base-centos7.qcow2   /kvm-vm/base-centos7.qcow2\n\n',
        ],
        prompt,
      );
      const r = parseVirshBatch(b, out);
      expect(r).toEqual([
        {
          call: calls[0],
          ok: false,
          output: '',
          error: "failed to get pool 'nosuch'\nStorage pool not found: no storage pool with matching name 'nosuch'",
        },
        { call: calls[1], ok: true, output: 'vm', error: '' },
        {
          call: calls[2],
          ok: true,
          output: ' Name                 Path\n------------------------------------------\n base-centos7.qcow2   /kvm-vm/base-centos7.qcow2',
          error: '',
        },
      ]);
    });
  }

  it('copes with readline scrolling (\\r inserted into echoed lines wider than 80 columns)', () => {
    const long = 'v'.repeat(150);
    const c = [call('vol-dumpxml', '--pool', 'vm', '--', long), call('hostname')];
    const b = virshBatch(URI, c, { nonce: N, mode: 'stdin' });
    // What virsh printed in the lab for a 150-character line: the first 72 columns, \r, then a scrolled tail.
    const scroll = (line: string) => (line.length > 72 ? line.slice(0, 72) + '\r<' + line.slice(-60) : line);
    const out = stdinOutput(b, [`error: failed to get vol '${long}'\nerror: Storage volume not found\n\n`, 'vm\n\n'], 'virsh # ', scroll);
    expect(out).toContain('\r');
    const r = parseVirshBatch(b, out);
    expect(r[0]).toMatchObject({ ok: false, output: '', error: `failed to get vol '${long}'\nStorage volume not found` });
    expect(r[1]).toMatchObject({ ok: true, output: 'vm' });
  });

  it('keeps output lines that look like a prompt inside a frame', () => {
    const c = [call('echo', '--', 'virsh # not a prompt'), call('hostname')];
    const b = virshBatch(URI, c, { nonce: N, mode: 'stdin' });
    const r = parseVirshBatch(b, stdinOutput(b, ['virsh # not a prompt\n', 'vm\n\n']));
    expect(r.map((x) => x.output)).toEqual(['virsh # not a prompt', 'vm']);
  });

  it('throws VirshBatchError when virsh could not connect (no markers at all)', () => {
    const b = virshBatch(URI, calls, { nonce: N, mode: 'stdin' });
    const out = "error: failed to connect to the hypervisor\nerror: internal error: unexpected qemu URI path '/nosuch', try qemu:///system\n";
    expect(() => parseVirshBatch(b, out)).toThrow(VirshBatchError);
    expect(() => parseVirshBatch(b, out)).toThrow(
      "failed to connect to the hypervisor\ninternal error: unexpected qemu URI path '/nosuch', try qemu:///system",
    );
  });

  it('a stdin batch cut short: the open frame keeps its echoed command stripped', () => {
    const b = virshBatch(URI, calls, { nonce: N, mode: 'stdin' });
    const out = `${BANNER}virsh # echo -- ${M(0)}\n${M(0)}\nvirsh # pool-info -- nosuch\nerror: x\n\nvirsh # echo -- ${M(1)}\n${M(1)}\nvirsh # hostname\nvm\n`;
    const r = parseVirshBatch(b, out);
    expect(r[0]).toMatchObject({ ok: false, error: 'x' });
    expect(r[1]).toMatchObject({ ok: false, output: 'vm', error: 'virsh stopped during this command' });
    expect(r[2]).toMatchObject({ ok: false, error: 'not run: virsh stopped before this command' });
  });
});
