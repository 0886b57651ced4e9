import { describe, expect, it } from 'vitest';
import { XmlParseError, asArray, attr, child, children, parseXml, text, toBytes } from './parse';

describe('toBytes (libvirt unit rules)', () => {
  it.each([
    ['123', undefined, 123],
    ['123', 'bytes', 123],
    ['123', 'byte', 123],
    ['123', 'b', 123],
    ['65536', 'B', 65536], // vol-dumpxml's <clusterSize unit='B'>
    ['1', 'KB', 1000],
    ['1', 'kb', 1000],
    ['1', 'k', 1024],
    ['1', 'K', 1024],
    ['1', 'KiB', 1024],
    ['1', 'kib', 1024],
    ['2', 'MB', 2_000_000],
    ['2', 'M', 2 * 1024 ** 2],
    ['2', 'MiB', 2 * 1024 ** 2],
    ['3', 'GB', 3e9],
    ['3', 'G', 3 * 1024 ** 3],
    ['3', 'GiB', 3 * 1024 ** 3],
    ['1', 'TB', 1e12],
    ['1', 'T', 1024 ** 4],
    ['1', 'TiB', 1024 ** 4],
    ['1', 'PB', 1e15],
    ['1', 'PiB', 1024 ** 5],
    ['7', 'EB', undefined], // 7e18 is past Number.MAX_SAFE_INTEGER
  ])('%s %s', (value, unit, expected) => {
    if (expected === undefined) expect(() => toBytes(value, unit)).toThrow(/too large/);
    else expect(toBytes(value, unit)).toBe(expected);
  });

  it('uses the default unit when unit= is absent (domain memory is KiB)', () => {
    expect(toBytes('65536', undefined, 'KiB')).toBe(64 * 1024 ** 2);
    expect(toBytes('65536', '', 'KiB')).toBe(64 * 1024 ** 2);
    expect(toBytes('1', 'bytes', 'KiB')).toBe(1);
  });

  it('returns a safe integer up to 2^53 - 1 and refuses beyond', () => {
    expect(toBytes(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toBytes('9007199254740992')).toThrow(XmlParseError);
    expect(() => toBytes('8388608', 'GiB')).toThrow(/too large/); // 8 PiB = 2^53
  });

  it.each(['', '-1', '1.5', '1e3', '0x10', 'ten'])('refuses the value %j', (value) => {
    expect(() => toBytes(value)).toThrow(/not a whole number/);
  });

  it.each(['kilobytes', 'Ki', 'KiBB', 'x', 'iB', 'Kb2', 'bit'])('refuses the unit %j', (unit) => {
    expect(() => toBytes('1', unit)).toThrow(/unknown size unit/);
  });
});

describe('parseXml', () => {
  it('returns the root element with attributes, text and repeated tags as arrays', () => {
    const root = parseXml("<pool type='dir'><name>a</name><source><host name='h1'/></source><e/></pool>", 'pool');
    expect(attr(root, 'type')).toBe('dir');
    expect(text(root, 'name')).toBe('a');
    expect(children(child(root, 'source'), 'host').map((h) => attr(h, 'name'))).toEqual(['h1']);
    expect(child(root, 'e')).toEqual({});
    expect(child(root, 'missing')).toBeUndefined();
  });

  it('decodes the five XML entities and character references, once', () => {
    const root = parseXml(`<a v='&quot;&apos;&lt;&gt;&amp;&#233;&#x1F600;&amp;#38;'>&amp;lt; &#10;</a>`, 'a');
    expect(attr(root, 'v')).toBe(`"'<>&é😀&#38;`);
    expect(text(root)).toBe('&lt; \n');
  });

  it.each([
    ['unclosed tag', '<pool><name>x</name>'],
    ['mismatched tag', '<pool><name>x</pool>'],
    ['garbage', 'not xml at all'],
    ['empty', ''],
    ['bad attribute', '<pool type=dir></pool>'],
  ])('throws XmlParseError on %s', (_, xml) => {
    expect(() => parseXml(xml, 'pool')).toThrow(XmlParseError);
  });

  it('names the expected root when the document is another one', () => {
    expect(() => parseXml('<volume/>', 'pool')).toThrow('expected one <pool> element, found <volume>');
    expect(() => parseXml('<pool/><pool/>', 'pool')).toThrow(/expected one <pool>/);
  });

  it('refuses a DOCTYPE (no entity expansion)', () => {
    const bomb = "<?xml version='1.0'?><!DOCTYPE a [<!ENTITY e 'boom'>]><a>&e;</a>";
    expect(() => parseXml(bomb, 'a')).toThrow(/DOCTYPE/);
  });

  it('refuses character references XML 1.0 cannot hold', () => {
    expect(() => parseXml('<a>&#1;</a>', 'a')).toThrow(/&#1;/);
    expect(() => parseXml("<a b='&#xFFFF;'/>", 'a')).toThrow(XmlParseError);
  });

  it('accepts an XML declaration before the root', () => {
    expect(text(parseXml("<?xml version='1.0' encoding='UTF-8'?><a>x</a>", 'a'))).toBe('x');
  });

  it('keeps text and attributes exactly, surrounding spaces included (libvirt trims nothing)', () => {
    const root = parseXml("<volume><name> disk .qcow2 </name><source file='/kvm-vm/a b '/></volume>", 'volume');
    expect(text(root, 'name')).toBe(' disk .qcow2 ');
    expect(attr(child(root, 'source'), 'file')).toBe('/kvm-vm/a b ');
  });

  it('settles absent and empty attributes and text to undefined', () => {
    const root = parseXml("<a e='' s='  '><t></t><w>   </w></a>", 'a');
    expect(attr(root, 'e')).toBeUndefined();
    expect(attr(root, 's')).toBeUndefined();
    expect(attr(root, 'nope')).toBeUndefined();
    expect(text(root, 't')).toBeUndefined();
    expect(text(root, 'w')).toBeUndefined();
    expect(text(root, 'nope')).toBeUndefined();
  });
});

describe('asArray', () => {
  it('wraps one value, keeps arrays, and maps nothing to []', () => {
    expect(asArray(1)).toEqual([1]);
    expect(asArray([1, 2])).toEqual([1, 2]);
    expect(asArray(undefined)).toEqual([]);
    expect(asArray(null)).toEqual([]);
  });
});
