import 'server-only';
import { randomBytes } from 'node:crypto';
import type { Command } from './command';
import { shQuote } from './shell';

/**
 * virsh batches: `virsh -c URI "cmd1 args; cmd2 args"` runs many commands in one process
 * (one more command costs ~1 ms; one more virsh process tens of ms). virsh re-parses that
 * string with shell-like rules — whitespace splits words, `;` ends a command, `#` starts a
 * comment, quotes group — so every word is quoted for virsh here, and the whole batch string
 * is quoted again for the login shell by shell.ts, as one argv element.
 *
 * The batch's exit code is the last command's only, and a failed command does not stop the
 * ones after it. So each command is framed by `echo` markers carrying a per-run nonce, stderr
 * is merged into stdout (virsh flushes between commands, so order holds), and a frame whose
 * trailing lines are virsh's `error: ` lines is that command's failure.
 */
export interface VirshCall {
  /** The virsh command, e.g. `pool-dumpxml`. */
  readonly name: string;
  /** Its words; builders put `--` before user values. */
  readonly args: readonly string[];
}

export const call = (name: string, ...args: string[]): VirshCall => ({ name, args });

/** virsh's own quoting follows the POSIX single-quote rules, so the same function serves. */
export const virshQuote = shQuote;

export function renderVirshCall(c: VirshCall): string {
  return [c.name, ...c.args].map(virshQuote).join(' ');
}

/** A single virsh command as a Command (no batch framing). */
export function virsh(uri: string, c: VirshCall): Command {
  return { program: 'virsh', args: ['-q', '-c', uri, c.name, ...c.args] };
}

export interface VirshBatch {
  readonly command: Command;
  /** In stdin mode, the command lines to write to virsh's stdin. */
  readonly stdin?: string;
  readonly calls: readonly VirshCall[];
  /** Calls run after the framed ones without a marker each; their output comes back as one text. */
  readonly tail: readonly VirshCall[];
  readonly nonce: string;
  readonly mode: 'arg' | 'stdin';
}

const marker = (nonce: string, i: number | 'end' | 'tail') => `@@ksc-${nonce}:${i}`;

/**
 * Two ways to hand virsh a batch. `arg`: one argv string — but Linux caps a single argument
 * at 128 KiB, so a batch over thousands of volumes would not fit. `stdin`: one command per line
 * on virsh's stdin, unbounded; virsh then echoes each line after a prompt (`virsh # ` as root,
 * `virsh $ ` otherwise), which the parser strips. A line cannot carry a newline inside quotes,
 * so stdin mode refuses values containing one.
 */
export function virshBatch(
  uri: string,
  calls: readonly VirshCall[],
  opts: { mode?: 'arg' | 'stdin'; nonce?: string; tail?: readonly VirshCall[] } = {},
): VirshBatch {
  const tail = opts.tail ?? [];
  if (calls.length === 0 && tail.length === 0) throw new Error('an empty virsh batch');
  const nonce = opts.nonce ?? randomBytes(6).toString('hex');
  const mode = opts.mode ?? 'arg';
  const parts: string[] = [];
  calls.forEach((c, i) => {
    parts.push(`echo -- ${marker(nonce, i)}`, renderVirshCall(c));
  });
  // Thousands of uniform calls (vol-dumpxml) need no marker each: their outputs are
  // self-delimiting, and a marker per call doubles what virsh has to read.
  if (tail.length) parts.push(`echo -- ${marker(nonce, 'tail')}`, ...tail.map(renderVirshCall));
  parts.push(`echo -- ${marker(nonce, 'end')}`);
  if (mode === 'stdin') {
    // virsh reads stdin through readline, which treats control characters as editing keys
    // (Ctrl-U erases the line so far: "x\x15pool-destroy P" would run pool-destroy). Refuse them.
    if ([...calls, ...tail].some((c) => c.args.some(hasControlChar)))
      throw new Error('a value with a control character (line break, tab, …) cannot be sent to virsh on stdin');
    return { command: { program: 'virsh', args: ['-c', uri], mergeStderr: true }, stdin: parts.join('\n') + '\n', calls, tail, nonce, mode };
  }
  // No -q: in quiet mode virsh's echo drops its newline, which would glue markers to output.
  return { command: { program: 'virsh', args: ['-c', uri, parts.join('; ')], mergeStderr: true }, calls, tail, nonce, mode };
}

/** The tail calls' combined output (prompt echoes removed in stdin mode). */
export function virshBatchTail(batch: VirshBatch, output: string): string {
  const start = output.indexOf(`\n${marker(batch.nonce, 'tail')}\n`);
  if (start < 0) return '';
  const from = start + marker(batch.nonce, 'tail').length + 2;
  const endAt = output.indexOf(`\n${marker(batch.nonce, 'end')}\n`, from - 1);
  const text = output.slice(from, endAt < 0 ? undefined : endAt + 1);
  if (batch.mode !== 'stdin') return text;
  return text
    .split('\n')
    .filter((l) => !PROMPT.test(l))
    .join('\n');
}

const CONTROL = /[\x00-\x1f\x7f]/;
export const hasControlChar = (v: string): boolean => CONTROL.test(v);

/** What the user sees in previews: the batch without its markers. */
export function previewVirshBatch(uri: string, calls: readonly VirshCall[]): string {
  return `virsh -c ${shQuote(uri)} ${shQuote(calls.map(renderVirshCall).join('; '))}`;
}

export interface VirshCallResult {
  readonly call: VirshCall;
  readonly ok: boolean;
  /** stdout of this command (without virsh's error lines). */
  readonly output: string;
  /** virsh's `error: …` lines, prefix removed, joined by newlines; '' when ok. */
  readonly error: string;
}

export class VirshBatchError extends Error {
  constructor(message: string, readonly output: string) {
    super(message);
    this.name = 'VirshBatchError';
  }
}

/**
 * Split a batch's merged output into one result per call. Throws VirshBatchError when virsh
 * ran none of the calls (e.g. it could not connect to libvirtd) — its message is virsh's own.
 */
export function parseVirshBatch(batch: VirshBatch, output: string): VirshCallResult[] {
  const lines = output.split('\n');
  const start = new Map<string, number>();
  const prefix = `@@ksc-${batch.nonce}:`;
  lines.forEach((line, idx) => {
    if (line.startsWith(prefix) && !start.has(line)) start.set(line, idx);
  });
  const first = start.get(marker(batch.nonce, batch.calls.length ? 0 : 'tail'));
  if (first === undefined) {
    const msg = errorLines(lines).join('\n') || output.trim() || 'virsh produced no output';
    throw new VirshBatchError(msg, output);
  }
  return batch.calls.map((c, i) => {
    const from = start.get(marker(batch.nonce, i));
    const next = start.get(marker(batch.nonce, i + 1 < batch.calls.length ? i + 1 : batch.tail.length ? 'tail' : 'end'));
    if (from === undefined) return { call: c, ok: false, output: '', error: 'not run: virsh stopped before this command' };
    let frame = lines.slice(from + 1, next ?? lines.length);
    if (batch.mode === 'stdin') frame = stripPrompts(frame, next !== undefined);
    return splitFrame(c, frame, next === undefined);
  });
}

export function splitFrame(c: VirshCall, frame: string[], truncated: boolean): VirshCallResult {
  let end = frame.length;
  while (end > 0 && frame[end - 1] === '') end--;
  // virsh prints a failure after the command's output as `error: ` lines. Its message quotes
  // the value, so when a value spans lines the error does too: then it runs from the first
  // `error: ` line to the end. Otherwise only the trailing `error: ` lines are the error, and
  // such text earlier in the output (e.g. inside XML) stays output.
  let errStart = end;
  if (c.args.some((a) => a.includes('\n'))) {
    const first = frame.slice(0, end).findIndex((l) => l.startsWith('error: '));
    if (first >= 0) errStart = first;
  } else {
    while (errStart > 0 && (frame[errStart - 1] ?? '').startsWith('error: ')) errStart--;
  }
  const errors = frame.slice(errStart, end).map((l) => l.replace(/^error: /, ''));
  const out = frame.slice(0, errStart).join('\n');
  if (errors.length) return { call: c, ok: false, output: out, error: errors.join('\n') };
  if (truncated) return { call: c, ok: false, output: out, error: 'virsh stopped during this command' };
  return { call: c, ok: true, output: out, error: '' };
}

const PROMPT = /^virsh [#$] /;

/**
 * In stdin mode a frame opens with virsh echoing this call and closes with the next echo.
 * The echo is not byte-exact (readline inserts `\r` to scroll lines wider than 80 columns),
 * but it is one line, since stdin mode refuses values with line breaks.
 */
export function stripPrompts(frame: string[], closed: boolean): string[] {
  let out = frame;
  if (out.length && PROMPT.test(out[0] ?? '')) out = out.slice(1);
  if (closed && out.length && PROMPT.test(out[out.length - 1] ?? '')) out = out.slice(0, -1);
  return out;
}

function errorLines(lines: string[]): string[] {
  return lines.filter((l) => l.startsWith('error: ')).map((l) => l.slice('error: '.length));
}
