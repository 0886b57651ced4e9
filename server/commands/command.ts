import 'server-only';

/**
 * A command is data: a program and its argv. It is quoted for a shell in exactly one place
 * (shell.ts), so what the UI previews, what the audit log records and what runs are the same.
 * Builders put `--` before every user-supplied value so a value can never be read as an option.
 */
export interface Command {
  readonly program: string;
  readonly args: readonly string[];
  /** Redirect stderr into stdout (`2>&1`), e.g. to keep virsh's per-command errors in order. */
  readonly mergeStderr?: boolean;
}

/** Commands joined by `|`: each command's stdout feeds the next one's stdin. */
export type Pipeline = readonly Command[];

export type Invocation = Command | Pipeline;

export function command(program: string, ...args: string[]): Command {
  return { program, args };
}

export function isPipeline(inv: Invocation): inv is Pipeline {
  return Array.isArray(inv);
}
