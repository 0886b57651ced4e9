import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDomainXml } from './domain';
import { escapeXml, XmlEscapeError } from './escape';
import { attr, isXmlChar, parseXml, text } from './parse';
import { parsePoolXml } from './pool';
import { parseVolumeXml } from './volume';

const HOSTILE = [
  `it's "quoted"`,
  '  padded name .qcow2 ',
  'a<b>&c;d',
  '&amp; already escaped',
  "]]> & '\" </name>",
  'unicode: 日本語 ñ é 😀 \u200b',
  'x\ty\nz\r\nw',
  '$(rm -rf /); `id`',
];

describe('escapeXml', () => {
  it('escapes the five XML specials and tab/LF/CR', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(escapeXml('a\tb\nc\rd')).toBe('a&#9;b&#10;c&#13;d');
    expect(escapeXml('plain ñ 😀')).toBe('plain ñ 😀');
    expect(escapeXml('')).toBe('');
  });

  it.each([
    ['NUL', 'a\u0000b', 'U+0000'],
    ['ESC', '\u001b[31m', 'U+001B'],
    ['DEL-free C0 control', 'bell\u0007', 'U+0007'],
    ['lone surrogate', 'x\ud800y', 'U+D800'],
    ['U+FFFE', 'a\ufffe', 'U+FFFE'],
  ])('refuses %s with a clear error', (_, value, code) => {
    expect(() => escapeXml(value)).toThrow(XmlEscapeError);
    expect(() => escapeXml(value)).toThrow(code);
  });
});

describe('hostile strings round-trip through escapeXml and the parsers', () => {
  it.each(HOSTILE)('%j', (s) => {
    const e = escapeXml(s);
    // As element text and as an attribute in either quote style.
    const pool = parsePoolXml(
      `<pool type='dir'><name>${e}</name><uuid>u</uuid><source><host name='${e}'/><dir path="${e}"/></source><target><path>${e}</path></target></pool>`,
    );
    expect([pool.name, pool.source.host, pool.source.dir, pool.target.path]).toEqual([s, s, s, s]);

    const vol = parseVolumeXml(
      `<volume><name>${e}</name><key>${e}</key><capacity>1</capacity><allocation>1</allocation><target><path>${e}</path></target></volume>`,
    );
    expect([vol.name, vol.key, vol.path]).toEqual([s, s, s]);

    const dom = parseDomainXml(
      `<domain type='kvm'><name>${e}</name><uuid>u</uuid><memory>1</memory><devices><disk type='volume'><source pool="${e}" volume='${e}'/><target dev='vda'/></disk></devices></domain>`,
    );
    expect([dom.name, dom.disks[0]?.sourcePool, dom.disks[0]?.sourceVolume]).toEqual([s, s, s]);
  });

  // Whitespace-only values read as absent (undefined); anything else comes back exactly,
  // surrounding spaces included.
  const xmlString = fc
    .string({ unit: fc.oneof(fc.constantFrom('&', '<', '>', '"', "'", ';', '#', '\t', '\n', '\r', ' '), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), minLength: 1 })
    .filter((s) => s.trim() !== '' && [...s].every((c) => isXmlChar(c.codePointAt(0) ?? 0)));

  it('any XML-legal string in an attribute', () => {
    fc.assert(fc.property(xmlString, (s) => attr(parseXml(`<a v='${escapeXml(s)}'/>`, 'a'), 'v') === s), { numRuns: 500 });
  });

  it('any XML-legal string as element text', () => {
    fc.assert(fc.property(xmlString, (s) => text(parseXml(`<a>${escapeXml(s)}</a>`, 'a')) === s), { numRuns: 500 });
  });
});
