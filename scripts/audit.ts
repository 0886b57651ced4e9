/**
 * npm run audit -- COMMAND …: read and check the console's audit log in its database (the same
 * one the running server uses: $DATABASE_URL, else $KSC_DATA_DIR/ksc.sqlite).
 *
 *   verify                       walk the hash chain; exit 1 when it is broken
 *   list [--host H] [--user U] [--object O] [--kind K,…] [--op OP] [--result ok|failed|refused]
 *        [--since T] [--until T] [--limit N] [--before SEQ] [--json | --csv] [--commands]
 *                                newest first (default 50); --json/--csv print the export formats
 *   prune [--days N]             drop records older than N days (default $KSC_AUDIT_DAYS, else 365);
 *                                the chain stays verifiable and the cut is recorded
 *
 * Exit codes: 0 done (verify: chain intact), 1 chain broken or an error, 2 usage.
 */
import { commandLines, toCsv } from '@/server/audit/export';
import { pruneAudit, verifyAudit } from '@/server/audit/log';
import { auditRecords, parseAuditParams } from '@/server/audit/read';
import { auditDays } from '@/server/audit/retention';
import type { AuditRecordDto } from '@/lib/schemas/audit';
import { parseArgs, runCli, UsageError } from './cli';

const USAGE = `usage: npm run audit -- verify
                      list [--host H] [--user U] [--object O] [--kind K,…] [--op OP] [--result ok|failed|refused]
                           [--since T] [--until T] [--limit N] [--before SEQ] [--json | --csv] [--commands]
                      prune [--days N]`;

const FLAGS_WITH_VALUE = new Set(['host', 'user', 'object', 'kind', 'op', 'result', 'since', 'until', 'limit', 'before', 'days']);
const SWITCHES = new Set(['json', 'csv', 'commands']);

const parse = (argv: string[]) => parseArgs(argv, { switches: SWITCHES, withValue: FLAGS_WITH_VALUE });

function line(r: AuditRecordDto): string {
  const who = r.actor ?? (r.actorKind === 'anonymous' ? '(anonymous)' : r.actorKind);
  const where = [r.host ?? 'console', r.object].filter(Boolean).join(' ');
  return `${String(r.seq).padStart(6)}  ${r.at.slice(0, 19).replace('T', ' ')}  ${r.result.padEnd(7)} ${who.padEnd(16)} ${r.operation.padEnd(44)} ${where}`;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const { pos, flags } = parse(rest);
  if (pos.length) throw new UsageError(`unexpected argument “${pos[0]}”`);
  switch (cmd) {
    case 'verify': {
      const v = await verifyAudit();
      if (v.intact) {
        console.log(`Chain intact · ${v.records} record${v.records === 1 ? '' : 's'}${v.firstSeq !== null ? ` (${v.firstSeq}–${v.lastSeq})` : ''}`);
        return 0;
      }
      console.error(`Chain broken at record ${v.brokenAt!.seq}: ${v.brokenAt!.reason}`);
      return 1;
    }
    case 'list': {
      const q = new URLSearchParams();
      for (const [k, v] of flags) if (typeof v === 'string') q.set(k, v);
      const format = flags.has('csv') ? 'csv' : flags.has('json') ? 'json' : null;
      if (format) q.set('format', format);
      if (!q.has('limit') && !format) q.set('limit', '50');
      let req;
      try {
        req = parseAuditParams(q);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      // The CLI reads the database directly: it sees every record (like the database's owner).
      const scope = { hosts: '*' as const, includeConsole: true };
      const records: AuditRecordDto[] = [];
      for await (const r of auditRecords(req, scope)) records.push(r);
      if (format === 'csv') process.stdout.write(toCsv(records));
      else if (format === 'json') console.log(JSON.stringify(records, null, 2));
      else {
        for (const r of records) {
          console.log(line(r));
          if (flags.has('commands') && r.commands.length) console.log(commandLines(r.commands).replace(/^/gm, '          '));
        }
        if (!records.length) console.log('(no records)');
      }
      return 0;
    }
    case 'prune': {
      const raw = flags.get('days');
      const days = raw === undefined ? auditDays() : Number(raw);
      if (!Number.isFinite(days) || days <= 0) throw new UsageError('--days must be a positive number');
      const n = await pruneAudit(days);
      console.log(n ? `removed ${n} record${n === 1 ? '' : 's'} older than ${days} days` : `nothing older than ${days} days`);
      return 0;
    }
    default:
      throw new UsageError(cmd ? `unknown command “${cmd}”` : 'no command');
  }
}

runCli(main, USAGE);
