import 'server-only';
import type { Command, Invocation } from './command';
import { isPipeline } from './command';

/**
 * POSIX shell quoting — the only place in the project where a value becomes shell text.
 * Safe words stay bare for readable previews; everything else is single-quoted, with each
 * `'` written as `'\''` (close, escaped quote, reopen). Inside single quotes a POSIX shell
 * interprets nothing: no `$()`, backticks, `;`, `#`, globs or newlines.
 */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shQuote(value: string): string {
  if (value.includes('\0')) throw new Error('a NUL byte cannot be passed in a command argument');
  return SAFE.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

export function renderCommand(cmd: Command, opts: { env?: Readonly<Record<string, string>> } = {}): string {
  const env = Object.entries(opts.env ?? {});
  const prefix = env.length ? ['env', ...env.map(([k, v]) => shQuote(`${k}=${v}`))] : [];
  const words = [...prefix, shQuote(cmd.program), ...cmd.args.map(shQuote)];
  return words.join(' ') + (cmd.mergeStderr ? ' 2>&1' : '');
}

/** The shell text for a command or a pipeline, for previews (no environment prefix). */
export function renderInvocation(inv: Invocation, opts: { env?: Readonly<Record<string, string>> } = {}): string {
  return isPipeline(inv) ? inv.map((c) => renderCommand(c, opts)).join(' | ') : renderCommand(inv, opts);
}

/**
 * Every command runs with a fixed locale, so messages are English and parse the same everywhere.
 * C.UTF-8, not C: in the C locale virsh prints non-ASCII names as `\xff` escapes (an `é` in a
 * volume name would come back mangled). glibc has C.UTF-8 built in since 2.35.
 */
export const EXEC_ENV: Readonly<Record<string, string>> = { LC_ALL: 'C.UTF-8' };

/** What a transport hands to `sh -c`: the invocation with `env LC_ALL=C` before each command. */
export function renderForExec(inv: Invocation): string {
  return renderInvocation(inv, { env: EXEC_ENV });
}
