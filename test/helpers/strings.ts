/**
 * Hostile strings for injection tests. fast-check's own `unit: 'binary'` is very slow to start
 * on a loaded machine, so full-Unicode strings are built here from code points (no NUL, no lone
 * surrogates: those have no UTF-8 bytes and cannot reach a process intact anyway).
 */
import fc from 'fast-check';

/** Any code point but NUL and surrogates, with ASCII (incl. controls) weighted up. */
export const codePoint = fc
  .oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0x01, max: 0x7f }) },
    { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0xd7ff }) },
    { weight: 1, arbitrary: fc.integer({ min: 0xe000, max: 0xffff }) },
    { weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }) },
  )
  .map((n) => String.fromCodePoint(n));

/** Pieces of shell and virsh syntax, and text that is hard for terminals and parsers. */
export const FRAGMENTS = [
  "'",
  '"',
  '`',
  ';',
  '#',
  '\n',
  '\r\n',
  '\t',
  ' ',
  '   ',
  '$(',
  ')',
  '${IFS}',
  '$HOME',
  '$$',
  '&&',
  '||',
  '|',
  '&',
  '>',
  '>>',
  '<',
  '2>&1',
  '-',
  '--',
  '--all',
  '-c',
  '\\',
  '\\\\',
  "\\'",
  '\\n',
  '*',
  '?',
  '[a-z]',
  '{a,b}',
  '~',
  '!',
  '%s',
  '%n',
  '=',
  '😀',
  '👨‍👩‍👧',
  '\u202e',
  'שלום',
  'مرحبا',
  'é',
  'e\u0301',
  '\u00a0',
  '\ufeff',
  '日本語',
  'echo',
  'pool-destroy',
  'virsh # ',
  'error',
];

/** Payloads that would create `file` if any layer executed them. */
export function pwnPayloads(file: string): string[] {
  return [
    `$(touch ${file})`,
    `\`touch ${file}\``,
    `; touch ${file}`,
    `;touch ${file};`,
    `'; touch ${file} #`,
    `"; touch ${file} #`,
    `' ; touch ${file} ; echo '`,
    `'$(touch ${file})'`,
    `\\'; touch ${file} #`,
    `&& touch ${file}`,
    `|| touch ${file}`,
    `| touch ${file}`,
    `\ntouch ${file}\n`,
    `x\n touch ${file} #`,
    `> ${file}`,
    `$(IFS=_;cmd=touch_${file};$cmd)`,
    `\${IFS}; touch ${file}`,
    `-- ; touch ${file}`,
    `--foo=$(touch ${file})`,
  ];
}

/** A hostile string: fragments, payloads and arbitrary code points glued together. */
export function hostileString(payloads: string[] = [], maxParts = 12): fc.Arbitrary<string> {
  const part = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS) },
    { weight: payloads.length ? 2 : 0, arbitrary: payloads.length ? fc.constantFrom(...payloads) : fc.constant('') },
    { weight: 3, arbitrary: fc.string({ unit: codePoint, maxLength: 6 }) },
    { weight: 2, arbitrary: fc.string({ maxLength: 6 }) },
  );
  return fc.array(part, { maxLength: maxParts, size: 'medium' }).map((parts) => parts.join(''));
}

/** Everything a test should throw at a quoting layer, NUL excluded. */
export function anyHostile(payloads: string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    hostileString(payloads),
    fc.string({ unit: codePoint, maxLength: 60, size: 'medium' }),
    fc.string({ unit: 'grapheme', maxLength: 30, size: 'medium' }),
    fc.string({ unit: 'binary-ascii', maxLength: 40, size: 'medium' }).filter((s) => !s.includes('\0')),
    fc.string({ maxLength: 60, size: 'medium' }),
    payloads.length ? fc.constantFrom(...payloads) : fc.constant('--'),
  );
}

/** C0 controls and DEL: what a line editor (readline) may treat as editing keys. */
export const CONTROL = /[\x00-\x1f\x7f]/;
