import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { escapeXml } from './escape';
import { parseVolumeXml } from './volume';
import { fastVolumeXml } from './volume-fast';

const dir = new URL('../../test/fixtures/lab/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, dir), 'utf8');

/** What parseVolumeXml says: the volume, or the error's message. */
const full = (xml: string) => {
  try {
    return parseVolumeXml(xml);
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
};

/** The fast reader either agrees with parseVolumeXml exactly or declines (null). */
function agrees(xml: string): 'same' | 'declined' {
  const fast = fastVolumeXml(xml);
  if (fast === null) return 'declined';
  expect(fast).toEqual(full(xml));
  return 'same';
}

const doc = (o: { name?: string; key?: string; path?: string; type?: string; unit?: string; cap?: string; extra?: string; backing?: string; enc?: string }) =>
  `<volume type='${o.type ?? 'file'}'>
  <name>${o.name ?? 'v.img'}</name>
  <key>${o.key ?? '/p/v.img'}</key>
  <capacity unit='${o.unit ?? 'bytes'}'>${o.cap ?? '1048576'}</capacity>
  <allocation unit='bytes'>4096</allocation>
  <target>
    <path>${o.path ?? '/p/v.img'}</path>
    <format type='qcow2'/>${o.enc ?? ''}
  </target>${o.backing ?? ''}${o.extra ?? ''}
</volume>
`;

describe('fastVolumeXml', () => {
  it('reads every captured lab volume exactly as parseVolumeXml does', () => {
    const files = readdirSync(dir).filter((f) => f.startsWith('vol-') && f.endsWith('.xml'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) expect(agrees(fixture(f)), f).toBe('same');
  });

  it('reads backing stores, encryption, units and volume types', () => {
    expect(agrees(doc({ backing: "\n  <backingStore>\n    <path>/p/base.qcow2</path>\n    <format type='raw'/>\n  </backingStore>" }))).toBe('same');
    expect(agrees(doc({ enc: "\n    <encryption format='luks'>\n      <secret type='passphrase' uuid='x'/>\n    </encryption>" }))).toBe('same');
    expect(agrees(doc({ unit: 'KiB', cap: '4' }))).toBe('same');
    expect(agrees(doc({ type: 'network', name: 'unit:0:0:1' }))).toBe('same');
    expect(agrees(doc({ backing: '\n  <backingStore/>' }))).toBe('same');
    expect(fastVolumeXml(doc({ backing: "\n  <backingStore>\n    <path>/p/b</path>\n  </backingStore>" }))?.backingStore).toEqual({ path: '/p/b', format: null });
  });

  it('keeps leading and trailing spaces of names and paths (libvirt trims nothing)', () => {
    expect(fastVolumeXml(doc({ name: ' v.img ', path: '/p/v.img ' }))).toMatchObject({ name: ' v.img ', path: '/p/v.img ' });
    expect(agrees(doc({ name: ' v.img ', path: '/p/v.img ' }))).toBe('same');
  });

  it('declines what is outside its subset, and parseVolumeXml decides', () => {
    for (const xml of [
      doc({ name: 'it&apos;s.img' }), // an entity
      doc({ name: '   ' }), // whitespace only: required element missing
      doc({ cap: 'many' }),
      doc({ unit: 'parsecs' }),
      doc({ extra: '\n  <!-- a comment -->' }),
      doc({ extra: '\n  <x><![CDATA[y]]></x>' }),
      `<?xml version='1.0'?>\n${doc({})}`,
      doc({}).replace('</target>', ''), // unbalanced
      doc({}) + '<volume/>', // two roots
      doc({}) + 'trailing text',
      doc({ name: 'a<b/>c' }), // markup inside a leaf
      doc({}).replace("<volume type='file'>", "<volume type='file' type='dir'>"),
      '<pool/>',
      '',
    ])
      expect(agrees(xml), xml).toBe('declined');
  });

  it('agrees with parseVolumeXml on any name, path and key (property)', () => {
    const textArb = fc.string({ unit: 'grapheme', minLength: 0, maxLength: 12 }).filter((s) => !/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/.test(s));
    fc.assert(
      fc.property(textArb, textArb, textArb, (name, key, path) => {
        const xml = doc({ name: escapeXml(name), key: escapeXml(key), path: escapeXml(path) });
        agrees(xml);
      }),
      { numRuns: 300 },
    );
  });
});
