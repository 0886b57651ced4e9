import { describe, expect, it } from 'vitest';
import type { AuditRecordDto } from '@/lib/schemas/audit';
import { CSV_COLUMNS, commandLines, csvCell, toCsv } from './export';

/** An RFC 4180 reader written for this test alone (quoted fields, doubled quotes, CRLF inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) throw new Error('no CRLF after the last row');
  return rows;
}

const rec = (over: Partial<AuditRecordDto> = {}): AuditRecordDto => ({
  seq: 7,
  at: '2026-11-30T18:00:00.000Z',
  actorKind: 'user',
  actor: 'alice',
  tokenId: null,
  sourceAddress: '127.0.0.1',
  host: 'lab',
  objectKind: 'volume',
  object: 'default/disk1.qcow2',
  operation: 'POST /pools/[pool]/volumes/[volume]/resize',
  result: 'ok',
  status: 200,
  commands: [
    { title: 'Resize', command: "virsh -c qemu:///system vol-resize --pool default -- disk1.qcow2 2147483648", exitCode: 0, ok: true, durationMs: 41 },
    { command: 'virsh pool-refresh default', exitCode: 1, ok: false, durationMs: 5 },
  ],
  detail: {},
  prevHash: 'a'.repeat(64),
  hash: 'b'.repeat(64),
  ...over,
});

describe('csvCell (RFC 4180)', () => {
  it('leaves plain text and numbers bare, writes null as an empty field', () => {
    expect(csvCell('lab')).toBe('lab');
    expect(csvCell(200)).toBe('200');
    expect(csvCell(null)).toBe('');
  });
  it('quotes a field with a comma, a quote, CR or LF, and doubles the quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('one\ntwo')).toBe('"one\ntwo"');
    expect(csvCell('one\r\ntwo')).toBe('"one\r\ntwo"');
  });
  it('defuses a text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first)', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    for (const s of ['+1', '-1', '@SUM(A1)', '\tx']) expect(csvCell(s)).toBe(`'${s}`);
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell(-1)).toBe('-1'); // a number stays a number
  });
});

describe('toCsv', () => {
  it('a header with every column, one CRLF-ended row per record, read back to the same values', () => {
    const hostile = rec({ seq: 8, object: 'default/a,"b"\nc.qcow2', actor: '=cmd|x', detail: { error: { code: 'x', message: 'line1\nline2, "q"' } } });
    const rows = parseCsv(toCsv([rec(), hostile]));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    const col = (r: string[], name: (typeof CSV_COLUMNS)[number]) => r[CSV_COLUMNS.indexOf(name)];
    expect(col(rows[1]!, 'seq')).toBe('7');
    expect(col(rows[1]!, 'token_id')).toBe('');
    expect(col(rows[2]!, 'object')).toBe('default/a,"b"\nc.qcow2');
    expect(col(rows[2]!, 'actor')).toBe("'=cmd|x");
    expect(JSON.parse(col(rows[2]!, 'detail')!)).toEqual(hostile.detail);
    expect(col(rows[1]!, 'detail')).toBe('');
    expect(col(rows[1]!, 'hash')).toBe('b'.repeat(64));
  });
  it('the commands column: each command in order with its exit status and duration', () => {
    const cell = parseCsv(toCsv([rec()]))[1]![CSV_COLUMNS.indexOf('commands')];
    expect(cell).toBe(
      '1. [exit 0 · 41 ms] Resize: virsh -c qemu:///system vol-resize --pool default -- disk1.qcow2 2147483648\n2. [exit 1 · 5 ms] virsh pool-refresh default',
    );
    expect(commandLines([{ command: 'x', exitCode: null, ok: false, durationMs: 3 }])).toBe('1. [no exit status · 3 ms] x');
  });
  it('an empty export is the header alone', () => {
    expect(toCsv([])).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });
});
