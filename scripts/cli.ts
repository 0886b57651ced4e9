/**
 * What the console's command-line tools share (scripts/user.ts, scripts/audit.ts): options
 * parsing, the usage error, and the run that closes the database and sets the exit status
 * (2 for a usage error, 1 for a failure, the command's own otherwise).
 */
import { closeDatabase } from '@/server/db';

export class UsageError extends Error {}

/** `--name value`, `--name=value` for the options in `withValue`; bare `--name` for `switches`; anything else is a usage error. */
export function parseArgs(argv: string[], opts: { switches: ReadonlySet<string>; withValue: ReadonlySet<string> }): { pos: string[]; flags: Map<string, string | true> } {
  const flags = new Map<string, string | true>();
  const pos: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      pos.push(a);
      continue;
    }
    const [k, v] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (opts.switches.has(k)) flags.set(k, true);
    else if (!opts.withValue.has(k)) throw new UsageError(`unknown option --${k}`);
    else if (v !== undefined) flags.set(k, v);
    else if (i + 1 < argv.length) flags.set(k, argv[++i]!);
    else throw new UsageError(`--${k} needs a value`);
  }
  return { pos, flags };
}

export function runCli(main: (argv: string[]) => Promise<number>, usage: string): void {
  main(process.argv.slice(2))
    .then(
      (code) => code,
      (e: unknown) => {
        if (e instanceof UsageError) console.error(`${e.message}\n${usage}`);
        else console.error(`error: ${(e as Error).message}`);
        return e instanceof UsageError ? 2 : 1;
      },
    )
    .then(async (code) => {
      await closeDatabase();
      process.exit(code);
    });
}
