import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyHostile, codePoint } from '@/test/helpers/strings';
import { command } from './command';
import { EXEC_ENV, renderCommand, renderForExec, renderInvocation, shQuote } from './shell';

const SAFE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@%+=:,./-';

/** A reference reader for what shQuote produces: bare safe words, '…' runs and \' escapes, nothing else. */
function posixUnquote(word: string): string {
  let out = '';
  let i = 0;
  while (i < word.length) {
    const ch = word[i]!;
    if (ch === "'") {
      const end = word.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in ${JSON.stringify(word)}`);
      out += word.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '\\') {
      out += word[i + 1] ?? '';
      i += 2;
    } else {
      if (!SAFE_CHARS.includes(ch)) throw new Error(`unquoted ${JSON.stringify(ch)} in ${JSON.stringify(word)}`);
      out += ch;
      i++;
    }
  }
  return out;
}

const noNul = (unit: 'grapheme' | 'binary-ascii' | 'grapheme-ascii' | typeof codePoint) =>
  fc.string({ unit, maxLength: 40 }).filter((s) => !s.includes('\0'));

describe('shQuote', () => {
  it('leaves safe words bare', () => {
    expect(shQuote('abc')).toBe('abc');
    expect(shQuote(SAFE_CHARS)).toBe(SAFE_CHARS);
    expect(shQuote('/kvm-vm/base-centos7.qcow2')).toBe('/kvm-vm/base-centos7.qcow2');
    expect(shQuote('qemu:///system')).toBe('qemu:///system');
    expect(shQuote('--pool')).toBe('--pool');
    expect(shQuote('LC_ALL=C')).toBe('LC_ALL=C');
    expect(shQuote('user@host')).toBe('user@host');
    expect(shQuote('50%,+1')).toBe('50%,+1');
  });

  it('single-quotes everything else', () => {
    expect(shQuote('')).toBe("''");
    expect(shQuote('a b')).toBe("'a b'");
    expect(shQuote('$(touch /tmp/x)')).toBe("'$(touch /tmp/x)'");
    expect(shQuote('`id`')).toBe("'`id`'");
    expect(shQuote('a;b')).toBe("'a;b'");
    expect(shQuote('#x')).toBe("'#x'");
    expect(shQuote('a\nb')).toBe("'a\nb'");
    expect(shQuote('*')).toBe("'*'");
    expect(shQuote('~')).toBe("'~'");
    expect(shQuote('a&&b|c>d')).toBe("'a&&b|c>d'");
    expect(shQuote('\\')).toBe("'\\'");
    expect(shQuote('"')).toBe(`'"'`);
    expect(shQuote('é')).toBe("'é'");
    expect(shQuote('😀')).toBe("'😀'");
    expect(shQuote('שלום')).toBe("'שלום'");
  });

  it("writes each ' as '\\''", () => {
    expect(shQuote("'")).toBe(`''\\'''`);
    expect(shQuote("it's")).toBe(`'it'\\''s'`);
    expect(shQuote("''")).toBe(`''\\'''\\'''`);
    expect(shQuote("x'; touch /tmp/p #")).toBe(`'x'\\''; touch /tmp/p #'`);
  });

  it('refuses a NUL byte', () => {
    expect(() => shQuote('a\0b')).toThrow(/NUL/);
    expect(() => shQuote('\0')).toThrow(/NUL/);
    expect(() => renderCommand(command('printf', '%s', 'x\0'))).toThrow(/NUL/);
  });

  it('is bare exactly for non-empty safe words, and always decodes back to the value', () => {
    fc.assert(
      fc.property(fc.oneof(noNul('grapheme-ascii'), noNul(codePoint), noNul('binary-ascii'), noNul('grapheme'), anyHostile()), (s) => {
        const q = shQuote(s);
        const safe = s.length > 0 && [...s].every((c) => SAFE_CHARS.includes(c));
        if (safe) expect(q).toBe(s);
        else expect(q.startsWith("'") && q.endsWith("'")).toBe(true);
        expect(posixUnquote(q)).toBe(s);
      }),
      { numRuns: 1000 },
    );
  }, 30_000);

  it('round-trips through a real /bin/sh byte for byte', () => {
    fc.assert(
      fc.property(fc.oneof(noNul(codePoint), noNul('binary-ascii'), anyHostile()), (s) => {
        const out = execFileSync('/bin/sh', ['-c', `printf %s ${shQuote(s)}`]);
        expect(out.equals(Buffer.from(s, 'utf8'))).toBe(true);
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});

describe('renderCommand / renderInvocation / renderForExec', () => {
  it('joins quoted words', () => {
    expect(renderCommand(command('virsh', '-c', 'qemu:///system', 'pool-info', '--', 'my pool'))).toBe(
      "virsh -c qemu:///system pool-info -- 'my pool'",
    );
    expect(renderCommand(command('printf', '%s', "a'b"))).toBe(`printf %s 'a'\\''b'`);
    expect(renderCommand(command('true'))).toBe('true');
  });

  it('quotes the program too', () => {
    expect(renderCommand(command('my prog', 'x'))).toBe("'my prog' x");
  });

  it('appends 2>&1 for mergeStderr, outside any quotes', () => {
    expect(renderCommand({ program: 'virsh', args: ['-c', 'qemu:///system', 'a; b'], mergeStderr: true })).toBe(
      "virsh -c qemu:///system 'a; b' 2>&1",
    );
  });

  it('puts env assignments before the command, each one quoted', () => {
    expect(renderCommand(command('ls'), { env: { LC_ALL: 'C' } })).toBe('env LC_ALL=C ls');
    expect(renderCommand(command('ls'), { env: { A: 'x y', B: "it's" } })).toBe(`env 'A=x y' 'B=it'\\''s' ls`);
  });

  it('renders pipelines with |, and previews without env', () => {
    const p = [command('printf', '%s\\n', 'a b'), command('wc', '-l')];
    expect(renderInvocation(p)).toBe(`printf '%s\\n' 'a b' | wc -l`);
    expect(renderForExec(p)).toBe(`env LC_ALL=C.UTF-8 printf '%s\\n' 'a b' | env LC_ALL=C.UTF-8 wc -l`);
    expect(renderForExec(command('virsh', 'list'))).toBe('env LC_ALL=C.UTF-8 virsh list');
    expect(EXEC_ENV).toEqual({ LC_ALL: 'C.UTF-8' });
  });

  it('runs as the argv it shows (real /bin/sh)', () => {
    const args = ['a b', "it's", '$(echo no)', '`echo no`', '; echo no', '*', '-n', '', 'x\ny', '😀'];
    const out = execFileSync('/bin/sh', ['-c', renderForExec(command('printf', '[%s]', ...args))], { encoding: 'utf8' });
    expect(out).toBe(args.map((a) => `[${a}]`).join(''));
  });
});
