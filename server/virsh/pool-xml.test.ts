import { describe, expect, it } from 'vitest';
import { checkEditedPoolXml } from './pool-xml';

const current = { name: 'images', uuid: '3f804e01-1234-4abc-8def-0123456789ab', type: 'dir' };
const xml = (name = 'images', uuid = current.uuid, type = 'dir') =>
  `<pool type='${type}'>\n  <name>${name}</name>\n  <uuid>${uuid}</uuid>\n  <target><path>/x</path></target>\n</pool>\n`;

describe('checkEditedPoolXml', () => {
  it('accepts XML that keeps name, uuid and type', () => {
    expect(() => checkEditedPoolXml(xml(), current)).not.toThrow();
    expect(() => checkEditedPoolXml(xml('images', current.uuid.toUpperCase()), current)).not.toThrow();
  });
  it.each([
    ['renamed', xml('other'), /<name> must stay “images”/],
    ['uuid changed', xml('images', '00000000-0000-0000-0000-000000000000'), /<uuid> must stay/],
    ['uuid missing', xml().replace(/<uuid>.*<\/uuid>/, ''), /without it libvirt refuses/],
    ['type changed', xml('images', current.uuid, 'fs'), /cannot change its type/],
    ['malformed', '<pool><name>images</name>', /malformed/],
    ['another root', '<volume/>', /expected one <pool>/],
    ['empty', '  ', /empty/],
    ['doctype', '<!DOCTYPE pool [<!ENTITY x "y">]><pool/>', /DOCTYPE/],
  ])('refuses XML with %s', (_what, text, message) => {
    expect(() => checkEditedPoolXml(text, current)).toThrow(message);
  });
});
